import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function AuditPage() {
  return (
    <NotBuilt title="Audit log">
      <p>Administrative actions and partner access to personal data, with filters.</p>
    </NotBuilt>
  );
}
