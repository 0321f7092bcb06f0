import type { CampaignNode, LinkEdge, Series } from '../../api-types.js';
import { drawLinkGraph } from '../shared/link-graph.js';
import { drawTimeline } from '../shared/timeline-chart.js';

interface Figures {
  series: Series;
  nodes: CampaignNode[];
  edges: LinkEdge[];
}

// The printer waits for reportReady, set once both figures are on the page.
const figures = JSON.parse(document.getElementById('report-data')!.textContent!) as Figures;
drawTimeline(document.getElementById('timeline') as HTMLCanvasElement, figures.series);
drawLinkGraph(document.getElementById('graph')!, figures.nodes, figures.edges);
(window as unknown as { reportReady: boolean }).reportReady = true;
