// Element Plus (2.14) renders a date/time picker's panel as a role=dialog teleported to the
// end of the page and kept there while closed, with no accessible name — and no prop gives it
// one: the picker's aria-label names its input, and the panel's tooltip gets no attributes from
// the picker. axe flags an unnamed dialog (aria-dialog-name, serious). The picker's trigger
// points at its panel with aria-controls (set by Element Plus for role=dialog), so every panel
// is named here after the field that opens it — one place for every picker, present and future.

const PANEL = '.el-picker__popper[role="dialog"]'

/** The name of the field whose picker opens `panel`: its input's aria-label, its <label>, or
 * its placeholder; null when no trigger points at the panel (yet). */
export function pickerFieldName(panel: Element): string | null {
  const id = panel.getAttribute('id')
  if (!id) return null
  const trigger = panel.ownerDocument.querySelector(`[aria-controls="${CSS.escape(id)}"]`)
  if (!trigger) return null
  const input = trigger instanceof HTMLInputElement ? trigger : trigger.querySelector('input')
  if (!input) return null
  const name =
    input.getAttribute('aria-label') ||
    [...(input.labels ?? [])].map((l) => l.textContent ?? '').join(' ') ||
    input.placeholder
  return name.trim() || null
}

/** Names every unnamed picker panel in `root` now: "<field>：选择日期" (or 日期和时间). */
export function namePickerPanels(root: ParentNode = document): void {
  for (const panel of root.querySelectorAll(`${PANEL}:not([aria-label])`)) {
    const field = pickerFieldName(panel)
    if (!field) continue
    const what = panel.querySelector('.el-picker-panel.has-time, .el-time-panel') ? '日期和时间' : '日期'
    panel.setAttribute('aria-label', `${field}：选择${what}`)
  }
}

/** Keeps naming panels as pickers mount (and if Element Plus clears a name). Returns the
 * observer, so a caller may disconnect it. */
export function watchPickerPanels(root: HTMLElement = document.body): MutationObserver {
  const observer = new MutationObserver(() => namePickerPanels(root.ownerDocument))
  observer.observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-controls', 'aria-label', 'id'],
  })
  namePickerPanels(root.ownerDocument)
  return observer
}
