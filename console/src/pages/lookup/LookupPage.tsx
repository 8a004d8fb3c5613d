import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function LookupPage() {
  return (
    <NotBuilt title="Lookup">
      <p>Find a customer by id or identifier and see what this key may see of them.</p>
    </NotBuilt>
  );
}
