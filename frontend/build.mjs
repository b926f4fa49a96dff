// Builds riskpath's front-end assets into riskpath/web/static/: compiles frontend/app.scss with
// GOV.UK Frontend and copies GOV.UK Frontend's JavaScript, fonts and images beside it.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'riskpath', 'web', 'static')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const autocomplete = join(root, 'node_modules', 'accessible-autocomplete', 'dist')

mkdirSync(join(out, 'riskpath'), { recursive: true })
mkdirSync(join(out, 'govuk'), { recursive: true })
mkdirSync(join(out, 'autocomplete'), { recursive: true })

const result = sass.compile(join(root, 'frontend', 'app.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ['import']
})
// GOV.UK's accessible-autocomplete (the young-person picker) ships its own stylesheet.
const autocompleteCss = readFileSync(join(autocomplete, 'accessible-autocomplete.min.css'), 'utf8')
  .replace(/\/\*# sourceMappingURL=.*\*\//, '')
writeFileSync(join(out, 'riskpath', 'app.css'), result.css + '\n' + autocompleteCss)
// The script names its source map; the map goes with it, or the hashed static files of a
// production deployment (collectstatic) refuse the reference to a missing file.
for (const name of ['accessible-autocomplete.min.js', 'accessible-autocomplete.min.js.map']) {
  cpSync(join(autocomplete, name), join(out, 'autocomplete', name))
}
cpSync(join(govuk, 'assets'), join(out, 'govuk', 'assets'), { recursive: true })
cpSync(join(govuk, 'govuk-frontend.min.js'), join(out, 'govuk', 'govuk-frontend.min.js'))
// The network chart (riskpath/network): Cytoscape.js as a module, and the fcose layout with the
// two libraries it needs, each a script that sets a global (loaded in order, before the module).
mkdirSync(join(out, 'cytoscape'), { recursive: true })
const modules = join(root, 'node_modules')
for (const [from, name] of [
  [join(modules, 'cytoscape', 'dist'), 'cytoscape.esm.min.mjs'],
  [join(modules, 'layout-base'), 'layout-base.js'],
  [join(modules, 'cose-base'), 'cose-base.js'],
  [join(modules, 'cytoscape-fcose'), 'cytoscape-fcose.js']
]) {
  cpSync(join(from, name), join(out, 'cytoscape', name))
}
console.log('riskpath front-end assets built in riskpath/web/static/')
