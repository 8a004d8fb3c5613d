import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function CustomersPage() {
  return (
    <NotBuilt title="Customers">
      <p>Search by name, email, phone or identifier; filters by RFM segment, churn band, CLV, source and segment; sortable, paged, exportable.</p>
    </NotBuilt>
  );
}
