import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { takeFragmentKey } from './auth/session';
import './styles.css';

// First thing: a key in the fragment (#key=...) leaves the address bar before anything
// renders, so it is not bookmarked, shared or kept in history.
const fragmentKey = takeFragmentKey(window.location, window.history);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App fragmentKey={fragmentKey} />
  </StrictMode>,
);
