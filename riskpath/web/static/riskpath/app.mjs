// riskpath's one script: mark the page as able to run GOV.UK Frontend's JavaScript, then
// start its components. Loaded as an external module so the Content-Security-Policy needs no
// inline script.
import { initAll } from '../govuk/govuk-frontend.min.js'
import { initPickers } from './picker.mjs'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
initPickers()

// Signing out forgets what this browser kept for riskpath (minutes typed while the connection
// was down, see minuting.mjs): on a shared computer nothing of a meeting stays behind.
for (const form of document.querySelectorAll('form[data-riskpath-sign-out]')) {
  form.addEventListener('submit', () => {
    try {
      for (let i = window.localStorage.length - 1; i >= 0; i--) {
        const key = window.localStorage.key(i)
        if (key && key.startsWith('riskpath:')) window.localStorage.removeItem(key)
      }
    } catch (e) {
      // Storage refused: there is nothing kept to forget.
    }
  })
}
