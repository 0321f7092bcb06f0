import cytoscape from 'cytoscape';
import type { CampaignNode, Level, LinkEdge } from '../../api-types.js';

const LEVEL_COLOURS: Record<Level, string> = { none: '#9aa5b1', watch: '#e0b43c', suspect: '#e07b3c', high: '#c2344a' };

/** One colour per kind of link, so a card ring and an office network read apart at a glance. */
const KIND_COLOURS: Record<string, string> = {
  card: '#7b3fb5',
  'email-family': '#2a8c82',
  'email-domain': '#4fb3a9',
  'signup-subnet': '#b5651d',
  ip: '#1f6fd1',
  subnet: '#7fa8e0',
  'user-agent': '#8c8c8c',
  wrapper: '#d13f8f',
  'system-prompt': '#e58fc0',
};
const MIXED = '#444c56';
const KIND_NAMES: Record<string, string> = {
  card: 'payment card',
  'email-family': 'email pattern',
  'email-domain': 'email domain',
  'signup-subnet': 'sign-up network',
  ip: 'request IP',
  subnet: 'request network',
  'user-agent': 'user agent',
  wrapper: 'prompt template',
  'system-prompt': 'system prompt',
};

// Past this many accounts names overlap into a grey smear: they show on hover and focus instead.
const LABELLED_UP_TO = 20;

const edgeColour = (e: LinkEdge): string => (e.kinds.length === 1 ? (KIND_COLOURS[e.kinds[0]!] ?? MIXED) : MIXED);

/** The legend as DOM beside the canvas: levels of the nodes, and the kinds of link the edges carry here. */
function legend(nodes: readonly CampaignNode[], edges: readonly LinkEdge[]): HTMLElement {
  const box = document.createElement('div');
  box.className = 'graph-legend';
  box.setAttribute('aria-label', 'Graph legend');
  const item = (colour: string, text: string, shape: 'dot' | 'line') => {
    const span = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = shape;
    swatch.style.background = colour;
    span.append(swatch, text);
    return span;
  };
  const levels = (Object.keys(LEVEL_COLOURS) as Level[]).filter((l) => nodes.some((n) => n.level === l));
  const kinds = [...new Set(edges.flatMap((e) => (e.kinds.length === 1 ? e.kinds : [])))];
  box.append(...levels.map((l) => item(LEVEL_COLOURS[l], `account: ${l}`, 'dot')));
  box.append(...kinds.map((k) => item(KIND_COLOURS[k] ?? MIXED, `shared ${KIND_NAMES[k] ?? k}`, 'line')));
  if (edges.some((e) => e.kinds.length !== 1)) box.append(item(MIXED, 'several kinds shared', 'line'));
  return box;
}

/**
 * Accounts as nodes coloured by level, links coloured by what is shared. Small graphs name every
 * account; larger ones name an account, and say what a link rests on, on hover.
 */
export function drawLinkGraph(container: HTMLElement, nodes: readonly CampaignNode[], edges: readonly LinkEdge[], onSelect?: (account: string) => void): cytoscape.Core {
  const labelled = nodes.length <= LABELLED_UP_TO;
  const canvas = document.createElement('div');
  canvas.className = 'graph-canvas';
  container.replaceChildren(canvas, legend(nodes, edges));
  const cy = cytoscape({
    container: canvas,
    elements: [
      ...nodes.map((n) => ({ data: { id: n.account, label: n.account, colour: LEVEL_COLOURS[n.level], size: 14 + Math.min(26, Math.sqrt(n.requests)) } })),
      ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, reasons: e.reasons.join('; '), colour: edgeColour(e), width: Math.min(5, 1 + e.reasons.length) } })),
    ],
    style: [
      { selector: 'node', style: { 'background-color': 'data(colour)', label: labelled ? 'data(label)' : '', width: 'data(size)', height: 'data(size)', 'font-size': 8, color: '#222' } },
      { selector: 'node.hover', style: { label: 'data(label)', 'font-size': 11, 'text-background-color': '#fff', 'text-background-opacity': 0.9, 'z-index': 10 } },
      // bezier: a pair linked by a card and a network draws two curves, one per colour.
      { selector: 'edge', style: { width: 'data(width)', 'line-color': 'data(colour)', opacity: 0.75, 'curve-style': 'bezier' } },
      { selector: 'edge.hover', style: { label: 'data(reasons)', 'font-size': 10, 'text-background-color': '#fff', 'text-background-opacity': 0.9, opacity: 1, 'z-index': 10 } },
    ],
    // cose (force-directed) costs about a second at 60 nodes on a slow laptop; rings by link count stay instant.
    layout: nodes.length > LABELLED_UP_TO ? { name: 'concentric', animate: false, minNodeSpacing: 6 } : { name: 'cose', animate: false, randomize: false },
  });
  cy.on('mouseover', 'node, edge', (event) => event.target.addClass('hover'));
  cy.on('mouseout', 'node, edge', (event) => event.target.removeClass('hover'));
  if (onSelect) cy.on('tap', 'node', (event) => onSelect(String(event.target.id())));
  return cy;
}
