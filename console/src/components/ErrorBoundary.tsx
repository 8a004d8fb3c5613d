import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorBox } from './ErrorBox';

/** Keeps a crash in one page from blanking the console; the nav stays usable. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error !== null) this.setState({ error: null });
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('console page failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error !== null) return <ErrorBox title="This page failed" error={this.state.error} />;
    return this.props.children;
  }
}
