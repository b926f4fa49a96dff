// The network chart (riskpath/network): Cytoscape.js with the fcose layout, drawn from the
// JSON the page carries (json_script), over the tables that hold the same data. Without
// JavaScript, or for a screen reader, the tables are the chart.
import cytoscape from '../cytoscape/cytoscape.esm.min.mjs'

const source = document.getElementById('network-data')
const panel = document.querySelector('[data-rp-network]')
const container = document.getElementById('network-chart')

const KIND_STYLE = {
  young_person: { shape: 'ellipse', colour: '#1d70b8' },
  person_of_interest: { shape: 'diamond', colour: '#d4351c' },
  location: { shape: 'round-rectangle', colour: '#00703c' },
  group: { shape: 'hexagon', colour: '#4c2c92' }
}

function text (parent, tag, words) {
  const el = document.createElement(tag)
  el.textContent = words
  parent.appendChild(el)
  return el
}

function showEdge (chosen, data) {
  chosen.replaceChildren()
  text(chosen, 'p', `${data.sentence}: ${data.type_label.toLowerCase()}, ${data.strength_label.toLowerCase()}.`)
  text(chosen, 'p', `Recorded by ${data.recorded_by}.`)
  if (data.evidence.length) {
    const list = document.createElement('ul')
    list.className = 'govuk-list govuk-body-s'
    for (const item of data.evidence) {
      const harm = item.harm_types.length ? ` (${item.harm_types.join(', ')})` : ''
      text(list, 'li', `${item.grading} from ${item.agency}, ${item.reported_on}${harm}`)
    }
    chosen.appendChild(list)
  } else if (!data.evidence_withheld) {
    text(chosen, 'p', 'No evidence cited.')
  }
  if (data.evidence_withheld) {
    text(chosen, 'p', `${data.evidence_withheld} more item(s) of evidence you may not see.`)
  }
}

function showNode (chosen, data) {
  chosen.replaceChildren()
  const hidden = data.hidden_neighbours
    ? `Also linked to ${data.hidden_neighbours} record${data.hidden_neighbours === 1 ? '' : 's'} you may not open. `
    : ''
  const p = text(chosen, 'p', `${data.label} (${data.kind_label.toLowerCase()}). ${hidden}`)
  if (data.url) {
    const a = document.createElement('a')
    a.className = 'govuk-link'
    a.href = data.url
    a.textContent = 'Open the record'
    p.appendChild(a)
  }
  const around = document.createElement('a')
  around.className = 'govuk-link'
  around.href = data.network_url
  around.textContent = 'Chart the links around it'
  p.appendChild(document.createTextNode(' '))
  p.appendChild(around)
}

function start () {
  if (!source || !panel || !container) return
  const chart = JSON.parse(source.textContent)
  if (window.cytoscapeFcose) cytoscape.use(window.cytoscapeFcose)
  // Cytoscape adds a <style> element unless one with this id exists; the Content-Security-
  // Policy refuses inline styles, so mark it present and set the container's style directly.
  if (!document.getElementById('__________cytoscape_stylesheet')) {
    const marker = document.createElement('meta')
    marker.id = '__________cytoscape_stylesheet'
    document.head.appendChild(marker)
  }
  panel.hidden = false
  container.style.position = 'relative'
  container.style.height = '32rem'
  container.style.border = '1px solid #b1b4b6'
  const style = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': 11,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        width: (n) => 18 + 10 * Math.sqrt(n.data('measures') ? n.data('measures').degree : 0),
        height: (n) => 18 + 10 * Math.sqrt(n.data('measures') ? n.data('measures').degree : 0),
        shape: (n) => (KIND_STYLE[n.data('kind')] || KIND_STYLE.group).shape,
        'background-color': (n) => (KIND_STYLE[n.data('kind')] || KIND_STYLE.group).colour,
        'border-width': (n) => (n.data('tier') ? 5 - n.data('tier') : 0),
        'border-color': '#0b0c0c'
      }
    },
    { selector: 'node[?centre]', style: { 'border-width': 4, 'border-color': '#ffdd00' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': '#505a5f',
        'curve-style': 'bezier',
        'line-style': 'dashed'
      }
    },
    { selector: 'edge[strength = "confirmed"]', style: { width: 4, 'line-style': 'solid' } },
    { selector: 'edge[strength = "tentative"]', style: { width: 2.5, 'line-style': 'solid' } },
    { selector: ':selected', style: { 'overlay-color': '#ffdd00', 'overlay-opacity': 0.4 } }
  ]
  const layout = window.cytoscapeFcose
    ? { name: 'fcose', randomize: true, seed: 15, animate: false, nodeSeparation: 90 }
    : { name: 'cose', animate: false }
  const cy = cytoscape({ container, elements: chart.elements, style, layout, wheelSensitivity: 0.3 })
  window.riskpathNetwork = cy // for the browser tests
  const chosen = document.getElementById('network-chosen')
  cy.on('tap', 'edge', (event) => showEdge(chosen, event.target.data()))
  cy.on('tap', 'node', (event) => showNode(chosen, event.target.data()))
  const png = document.getElementById('network-png')
  if (png) {
    png.addEventListener('click', () => {
      const a = document.createElement('a')
      a.href = cy.png({ full: true, bg: '#ffffff', scale: 2 })
      a.download = 'network-chart.png'
      document.body.appendChild(a)
      a.click()
      a.remove()
    })
  }
}

start()
