// Live minuting: saves each agenda item's minutes as the minute-taker types.
//
// Each textarea is saved to the JSON API a few seconds after typing stops and when it loses
// focus, with the version of the minutes it was based on. Text not yet saved is kept in
// localStorage (keyed by meeting and item) and sent again when the connection comes back, so
// a dropped connection or a closed tab loses nothing. If someone else saved the item in the
// meantime the API answers 409 with their text: it is shown beside the writer's own and
// nothing is overwritten until the writer chooses. Without this script the page is a plain
// form that saves every item.

const PAUSE_MS = 2000 // save this long after typing stops
const RETRY_MS = 5000 // try again this often while offline

const form = document.getElementById('minuting')
let submitting = false // the whole form is being sent: no more saves from here

function csrfToken () {
  const input = form.querySelector('input[name="csrfmiddlewaretoken"]')
  return input ? input.value : ''
}

function timeNow (date) {
  return (date || new Date()).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
}

function storageKey (meeting, item) {
  return `riskpath:minutes:${meeting}:${item}`
}

function readStored (key) {
  try {
    const raw = window.localStorage.getItem(key)
    return raw ? JSON.parse(raw) : null
  } catch (e) {
    return null
  }
}

function writeStored (key, value) {
  try {
    if (value === null) {
      window.localStorage.removeItem(key)
    } else {
      window.localStorage.setItem(key, JSON.stringify(value))
    }
  } catch (e) {
    // Storage full or refused: the text is still in the box and is sent as usual.
  }
}

class ItemMinutes {
  constructor (meeting, textarea) {
    this.textarea = textarea
    this.item = textarea.dataset.minutesItem
    this.url = textarea.dataset.minutesUrl
    this.key = storageKey(meeting, this.item)
    this.versionInput = form.querySelector(`input[data-minutes-version="${this.item}"]`)
    this.status = form.querySelector(`[data-minutes-status="${this.item}"]`)
    this.conflictPanel = form.querySelector(`[data-minutes-conflict="${this.item}"]`)
    this.saved = textarea.value // what the server holds, as far as we know
    this.timer = null
    this.inFlight = false
    this.again = false
    this.inConflict = false // a conflict the page itself shows has already been told

    textarea.addEventListener('input', () => this.changed())
    textarea.addEventListener('blur', () => this.saveNow())
    this.restore()
  }

  get version () {
    return parseInt(this.versionInput.value, 10) || 0
  }

  set version (value) {
    this.versionInput.value = String(value)
  }

  say (text) {
    this.status.textContent = text
  }

  // Text left unsent by an earlier visit (a dropped connection, a closed tab) goes back in the
  // box and is sent, based on the version it was typed against.
  restore () {
    const stored = readStored(this.key)
    if (!stored) return
    if (stored.text === this.textarea.value) {
      writeStored(this.key, null)
      return
    }
    this.textarea.value = stored.text
    this.version = stored.version
    this.say('Not saved yet: text kept on this computer, sending it now')
    this.saveNow()
  }

  dirty () {
    return this.textarea.value !== this.saved
  }

  changed () {
    writeStored(this.key, { text: this.textarea.value, version: this.version, at: Date.now() })
    if (this.inConflict) return // wait for the writer to choose
    this.say('Not saved yet')
    window.clearTimeout(this.timer)
    this.timer = window.setTimeout(() => this.saveNow(), PAUSE_MS)
  }

  retryLater () {
    window.clearTimeout(this.timer)
    this.timer = window.setTimeout(() => this.saveNow(), RETRY_MS)
  }

  async saveNow () {
    window.clearTimeout(this.timer)
    if (submitting || this.inConflict || !this.dirty()) return
    if (this.inFlight) {
      this.again = true
      return
    }
    this.inFlight = true
    this.flight = this.send(this.textarea.value)
    try {
      await this.flight
    } finally {
      this.inFlight = false
    }
    if (this.again) {
      this.again = false
      this.saveNow()
    }
  }

  async send (text) {
    let response
    try {
      response = await window.fetch(this.url, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-CSRFToken': csrfToken()
        },
        body: JSON.stringify({ discussion: text, version: this.version })
      })
    } catch (e) {
      this.say('Not saved: offline, will retry')
      this.retryLater()
      return
    }
    let body = {}
    try {
      body = await response.json()
    } catch (e) {
      body = {}
    }
    if (response.ok) {
      this.saved = text
      this.version = body.version
      if (this.textarea.value === text) writeStored(this.key, null)
      this.say(`Saved ${timeNow(body.minuted_at ? new Date(body.minuted_at) : null)}`)
    } else if (response.status === 409) {
      this.showConflict(body.current || {})
    } else if (response.status >= 500) {
      this.say('Not saved: the server did not answer, will retry')
      this.retryLater()
    } else {
      const message = (body.errors || []).map((e) => e.message).join(' ')
      this.say(`Not saved: ${message || 'refused'}. Your text is kept on this computer.`)
    }
  }

  showConflict (current) {
    this.inConflict = true
    this.theirs = current
    const panel = this.conflictPanel
    panel.replaceChildren()
    panel.setAttribute('role', 'alert')
    const heading = document.createElement('h2')
    heading.className = 'govuk-heading-s'
    heading.textContent = `${current.minuted_by || 'Someone else'} saved this item while you were writing`
    const intro = document.createElement('p')
    intro.className = 'govuk-body'
    intro.textContent = 'Your text, in the box above, has not been saved. Their text is:'
    const theirs = document.createElement('div')
    theirs.className = 'govuk-body riskpath-their-text'
    theirs.textContent = current.discussion || '(nothing)'
    const buttons = document.createElement('div')
    buttons.className = 'govuk-button-group'
    buttons.append(
      this.button('Keep my text and save it', () => this.keepMine()),
      this.button('Use their text', () => this.useTheirs())
    )
    panel.append(heading, intro, theirs, buttons)
    panel.hidden = false
    this.say('Not saved: someone else changed this item')
  }

  button (label, action) {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'govuk-button govuk-button--secondary'
    button.textContent = label
    const hidden = document.createElement('span')
    hidden.className = 'govuk-visually-hidden'
    hidden.textContent = `: ${this.textarea.labels[0] ? this.textarea.labels[0].textContent : ''}`
    button.append(hidden)
    button.addEventListener('click', action)
    return button
  }

  closeConflict () {
    this.inConflict = false
    this.conflictPanel.hidden = true
    this.conflictPanel.removeAttribute('role')
    this.conflictPanel.replaceChildren()
    this.textarea.focus()
  }

  // The writer has seen the other text and chooses theirs: take it, nothing to send.
  useTheirs () {
    this.textarea.value = this.theirs.discussion || ''
    this.saved = this.textarea.value
    this.version = this.theirs.version || 0
    writeStored(this.key, null)
    this.closeConflict()
    this.say('Showing their text')
  }

  // The writer has seen the other text and chooses to replace it with theirs.
  keepMine () {
    this.version = this.theirs.version || 0
    this.saved = this.theirs.discussion || ''
    writeStored(this.key, { text: this.textarea.value, version: this.version, at: Date.now() })
    this.closeConflict()
    this.saveNow()
  }
}

if (form) {
  const meeting = form.dataset.meeting
  const items = Array.from(form.querySelectorAll('textarea[data-minutes-item]')).map(
    (textarea) => new ItemMinutes(meeting, textarea)
  )
  window.addEventListener('online', () => items.forEach((item) => item.saveNow()))
  // Sending the whole form (the "Save all minutes" button) waits for any save on its way, so
  // that the form carries the versions those saves return and no request is cut off.
  form.addEventListener('submit', (event) => {
    if (submitting) return
    items.forEach((item) => window.clearTimeout(item.timer))
    const pending = items.filter((item) => item.inFlight).map((item) => item.flight)
    submitting = true
    if (pending.length) {
      event.preventDefault()
      Promise.allSettled(pending).then(() => form.submit())
    }
  })
}
