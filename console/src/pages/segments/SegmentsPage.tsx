import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function SegmentsPage() {
  return (
    <NotBuilt title="Segments">
      <p>The saved segments with their sizes.</p>
    </NotBuilt>
  );
}
