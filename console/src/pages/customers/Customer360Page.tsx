import { useParams } from 'react-router';
import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function Customer360Page() {
  const { id = '' } = useParams();
  return (
    <NotBuilt title="Customer 360">
      <p>
        Golden profile, timeline, scores, actions, consents, segments and the identity picture of customer <code>{id}</code>.
      </p>
    </NotBuilt>
  );
}
