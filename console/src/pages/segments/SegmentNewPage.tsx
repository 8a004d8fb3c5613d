import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function SegmentNewPage() {
  return (
    <NotBuilt title="New segment">
      <p>The segment builder with a live preview count and sample.</p>
    </NotBuilt>
  );
}
