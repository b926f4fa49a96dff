// riskpath's one script: mark the page as able to run GOV.UK Frontend's JavaScript, then
// start its components. Loaded as an external module so the Content-Security-Policy needs no
// inline script.
import { initAll } from '../govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
