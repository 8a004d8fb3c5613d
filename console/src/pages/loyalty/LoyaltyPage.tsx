import { NotBuilt } from '../../components/NotBuilt';

// Placeholder: replace with the page (see console/README.md, "Adding a page").
export default function LoyaltyPage() {
  return (
    <NotBuilt title="Loyalty &amp; churn">
      <p>RFM heatmap, churn-risk and CLV distributions, cohort retention and the model report.</p>
    </NotBuilt>
  );
}
