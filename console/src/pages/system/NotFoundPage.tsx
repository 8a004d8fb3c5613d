import { Link, useLocation } from 'react-router';
import { EmptyState } from '../../components/EmptyState';

export default function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <section className="page">
      <h1>Not found</h1>
      <EmptyState title={`No console page at ${pathname}`}>
        <Link to="/">Back to the overview</Link>
      </EmptyState>
    </section>
  );
}
