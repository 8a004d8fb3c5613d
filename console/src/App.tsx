import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { createQueryClient } from './api/queryClient';
import { RequireRole, RequireSignIn } from './auth/guards';
import { SessionProvider } from './auth/SessionContext';
import SignInPage from './auth/SignInPage';
import { Layout } from './Layout';
import { PAGES, type PageDef } from './pages';
import NotFoundPage from './pages/system/NotFoundPage';

export const BASENAME = '/console';

/** The routes come from the page table; sign-in is the one page outside it. */
export function App({ fragmentKey }: { fragmentKey: string | null }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename={BASENAME}>
        <SessionProvider fragmentKey={fragmentKey}>
          <Routes>
            <Route path="/signin" element={<SignInPage />} />
            <Route
              element={
                <RequireSignIn>
                  <Layout />
                </RequireSignIn>
              }
            >
              {(PAGES as readonly PageDef[]).map((p) => (
                <Route
                  key={p.id}
                  path={p.path}
                  element={
                    <RequireRole page={p}>
                      <p.component />
                    </RequireRole>
                  }
                />
              ))}
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </SessionProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
