// Where a check found something (the credit code's line, each seal), drawn over a page
// preview. The server gives each region as a box in pixels of the page raster its check looked
// at — the image itself, or a PDF page as the check rendered it (seals at 100 dpi, the license
// at 200 dpi) — together with that raster's size, page_width × page_height. A preview of the
// same page is another raster of it (any width the server snaps to), so a box is scaled by
// preview width / page_width and preview height / page_height. A region without page_width
// (results stored before the server recorded it) cannot be placed and is not guessed at.
import type { components } from '../api/schema'

export type CheckResult = components['schemas']['CheckResult']
export type Region = NonNullable<CheckResult['regions']>[number]

/** A box in the preview's own pixels. */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** A region to draw: its box on the preview, what it marks and which check found it. */
export interface PlacedRegion extends Box {
  label: string
  check: string
}

/** The region's box on a preview `imageWidth` × `imageHeight` of its page; null when the
 * region does not say the size of its raster (or a size is not positive). */
export function scaleRegion(region: Region, imageWidth: number, imageHeight: number): Box | null {
  const pageWidth = region.page_width ?? 0
  const pageHeight = region.page_height ?? 0
  if (!(pageWidth > 0 && pageHeight > 0 && imageWidth > 0 && imageHeight > 0)) return null
  const sx = imageWidth / pageWidth
  const sy = imageHeight / pageHeight
  return {
    x: (region.x ?? 0) * sx,
    y: (region.y ?? 0) * sy,
    width: (region.width ?? 0) * sx,
    height: (region.height ?? 0) * sy,
  }
}

/** Every region of `checks` on `page` (from 1), placed on a preview of that size, and how many
 * could not be placed (no raster size): said in words beside the page, never drawn wrongly. */
export function regionsOnPage(
  checks: readonly CheckResult[],
  page: number,
  imageWidth: number,
  imageHeight: number,
): { placed: PlacedRegion[]; unplaced: number } {
  const placed: PlacedRegion[] = []
  let unplaced = 0
  for (const check of checks) {
    for (const region of check.regions ?? []) {
      if ((region.page ?? 1) !== page) continue
      const box = scaleRegion(region, imageWidth, imageHeight)
      if (box) placed.push({ ...box, label: region.label ?? '', check: check.check })
      else unplaced++
    }
  }
  return { placed, unplaced }
}

/** Whether `box` lies within a `width` × `height` image (half a pixel of rounding allowed). */
export function insideImage(box: Box, width: number, height: number): boolean {
  const e = 0.5
  return box.x >= -e && box.y >= -e && box.x + box.width <= width + e && box.y + box.height <= height + e
}

export const regionLabels: Record<string, string> = {
  credit_code: '统一社会信用代码',
  credit_code_label: '“统一社会信用代码”字样',
  seal_round: '圆形印章',
  seal_square: '方形印章',
  seal: '印章',
}

/** The widths the server renders previews at (it snaps a request up to one of them). */
export const PREVIEW_WIDTHS = [160, 320, 480, 800, 1200, 1600, 2400] as const

/** The preview width to ask for to show a page `displayWidth` CSS pixels wide on a screen of
 * `pixelRatio`: the smallest the server has that is not blurred, at most 2400. */
export function previewWidthFor(displayWidth: number, pixelRatio = 1): number {
  const wanted = Math.ceil(displayWidth * Math.max(1, pixelRatio))
  return PREVIEW_WIDTHS.find((w) => w >= wanted) ?? 2400
}

/** The zoom steps of the evidence viewer, as a share of the viewer's width. */
export const ZOOM_STEPS = [0.5, 0.75, 1, 1.5, 2, 3] as const

/** The next zoom step in `direction` (+1 in, -1 out) from `current`, staying within the steps. */
export function nextZoom(current: number, direction: 1 | -1): number {
  const steps = [...ZOOM_STEPS]
  let index = steps.findIndex((s) => s >= current - 1e-9)
  if (index < 0) index = steps.length - 1
  if (direction > 0 && steps[index]! <= current + 1e-9) index++
  if (direction < 0) index--
  return steps[Math.min(steps.length - 1, Math.max(0, index))]!
}
