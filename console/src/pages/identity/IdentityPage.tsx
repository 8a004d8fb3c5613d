import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function IdentityPage() {
  return (
    <NotBuilt title="Identity review">
      <p>The review queue as record pairs with match evidence, flagged identifiers and the match model.</p>
    </NotBuilt>
  );
}
