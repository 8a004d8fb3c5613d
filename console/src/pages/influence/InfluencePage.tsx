import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function InfluencePage() {
  return (
    <NotBuilt title="Influence">
      <p>Top influencers, communities, an expandable neighbourhood graph and paths between customers.</p>
    </NotBuilt>
  );
}
