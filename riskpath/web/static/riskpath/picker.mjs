// The young-person picker: enhances each form's "Find a young person" box with GOV.UK's
// accessible-autocomplete. Typing asks riskpath's search (at most ten matches, labelled only
// as far as the user may see); choosing one adds it, ticked, to the chosen list above the box.
// Without this script the box and its Search button work as a plain form.
import '../autocomplete/accessible-autocomplete.min.js'

const WAIT_MS = 250 // ask the server this long after typing stops

function escapeHtml (text) {
  return String(text).replace(/[&<>"']/g, (ch) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'
  })[ch])
}

function chooser (group) {
  const list = group.querySelector('.rp-picker__chosen')
  const status = group.querySelector('[data-rp-picker-status]')
  const name = group.dataset.name
  const multiple = group.dataset.multiple === 'true'
  const kind = multiple ? 'checkboxes' : 'radios'
  let added = 0
  return (option) => {
    const existing = [...list.querySelectorAll('input')].find((input) => input.value === option.id)
    if (existing) {
      existing.checked = true
      status.textContent = `${option.label} is already chosen.`
      return
    }
    if (!multiple) {
      for (const input of list.querySelectorAll('input')) input.checked = false
    }
    added += 1
    const id = `${group.dataset.inputId}-added-${added}`
    const item = document.createElement('div')
    item.className = `govuk-${kind}__item`
    const input = document.createElement('input')
    input.className = `govuk-${kind}__input`
    input.type = multiple ? 'checkbox' : 'radio'
    input.name = name
    input.value = option.id
    input.id = id
    input.checked = true
    const label = document.createElement('label')
    label.className = `govuk-label govuk-${kind}__label`
    label.htmlFor = id
    label.textContent = option.label
    item.append(input, label)
    list.append(item)
    status.textContent = `${option.label} added.`
  }
}

function enhance (group) {
  const input = group.querySelector('.rp-picker__input')
  const box = group.querySelector('.rp-picker__box')
  const dob = group.querySelector('.rp-picker__dob')
  const postcode = group.querySelector('.rp-picker__postcode')
  const find = group.querySelector('.rp-picker__find')
  if (!input || !box || typeof window.accessibleAutocomplete !== 'function') return
  const choose = chooser(group)
  const id = input.id
  input.remove()
  let timer = null
  window.accessibleAutocomplete({
    element: box,
    id,
    minLength: 2,
    confirmOnBlur: false,
    showNoOptionsFound: true,
    source: (query, populate) => {
      window.clearTimeout(timer)
      timer = window.setTimeout(async () => {
        const url = new URL(group.dataset.source, window.location.href)
        url.searchParams.set('q', query)
        if (dob && dob.value.trim()) url.searchParams.set('dob', dob.value.trim())
        if (postcode && postcode.value.trim()) url.searchParams.set('postcode', postcode.value.trim())
        try {
          const response = await fetch(url, {
            headers: { Accept: 'application/json' },
            credentials: 'same-origin'
          })
          populate(response.ok ? (await response.json()).results : [])
        } catch (e) {
          populate([])
        }
      }, WAIT_MS)
    },
    templates: {
      inputValue: () => '',
      suggestion: (option) => escapeHtml(typeof option === 'string' ? option : option.label)
    },
    tNoResults: () => 'No young person matches',
    onConfirm: (option) => { if (option && option.id) choose(option) }
  })
  if (find) find.hidden = true
}

export function initPickers (root = document) {
  for (const group of root.querySelectorAll('[data-module="rp-picker"]')) enhance(group)
}
