import { useParams } from 'react-router';
import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function SegmentPage() {
  const { id = '' } = useParams();
  return (
    <NotBuilt title="Segment">
      <p>
        Definition, members, membership history, CSV export and planned actions of segment <code>{id}</code>.
      </p>
    </NotBuilt>
  );
}
