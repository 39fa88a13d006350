import { describe, expect, it } from 'vitest'
import {
  insideImage,
  nextZoom,
  previewWidthFor,
  regionsOnPage,
  scaleRegion,
  type CheckResult,
} from '../../src/review/regions'

describe('check regions over a page preview', () => {
  it('scales a box from the check raster to the preview', () => {
    // A seal found on a 1654 × 2339 scan, drawn over its 800-pixel preview (800 × 1131).
    const box = scaleRegion(
      { page: 1, x: 827, y: 1600, width: 413, height: 413, label: 'seal_round', page_width: 1654, page_height: 2339 },
      800,
      1131,
    )
    expect(box).not.toBeNull()
    expect(box!.x).toBeCloseTo(400, 5)
    expect(box!.width).toBeCloseTo(199.758, 2)
    expect(box!.y).toBeCloseTo(773.664, 2)
    expect(box!.height).toBeCloseTo(199.702, 2)
  })

  it('scales a PDF page checked at 100 dpi onto a preview of another resolution', () => {
    // A4 at 100 dpi is 827 × 1170; the 1200-pixel preview is 1200 × 1697.
    const box = scaleRegion(
      { page: 2, x: 0, y: 585, width: 827, height: 100, label: 'seal_round', page_width: 827, page_height: 1170 },
      1200,
      1697,
    )!
    expect(box.x).toBe(0)
    expect(box.width).toBeCloseTo(1200, 5)
    expect(box.y).toBeCloseTo(848.5, 1)
    expect(insideImage(box, 1200, 1697)).toBe(true)
  })

  it('places nothing it cannot scale: no raster size, no guess', () => {
    expect(scaleRegion({ x: 10, y: 10, width: 5, height: 5 }, 800, 600)).toBeNull()
    expect(scaleRegion({ x: 10, y: 10, width: 5, height: 5, page_width: 100, page_height: 100 }, 0, 600)).toBeNull()
  })

  it('takes the regions of every check on the page asked for', () => {
    const checks: CheckResult[] = [
      {
        check: 'seals',
        state: 'done',
        regions: [
          { page: 1, x: 10, y: 10, width: 20, height: 20, label: 'seal_round', page_width: 100, page_height: 200 },
          { page: 2, x: 10, y: 10, width: 20, height: 20, label: 'seal_square', page_width: 100, page_height: 200 },
          { page: 1, x: 50, y: 50, width: 5, height: 5, label: 'seal_round' },
        ],
      },
      {
        check: 'license',
        state: 'done',
        regions: [{ x: 0, y: 100, width: 100, height: 10, label: 'credit_code', page_width: 100, page_height: 200 }],
      },
      { check: 'quality', state: 'pending' },
    ]
    const { placed, unplaced } = regionsOnPage(checks, 1, 400, 800)
    expect(placed.map((p) => `${p.check}:${p.label}`)).toEqual(['seals:seal_round', 'license:credit_code'])
    expect(placed[1]).toMatchObject({ x: 0, y: 400, width: 400, height: 40 })
    expect(unplaced).toBe(1)
    expect(regionsOnPage(checks, 2, 400, 800).placed.map((p) => p.label)).toEqual(['seal_square'])
  })

  it('tells a box outside the image', () => {
    expect(insideImage({ x: 790, y: 10, width: 20, height: 10 }, 800, 600)).toBe(false)
    expect(insideImage({ x: 0, y: 0, width: 800, height: 600 }, 800, 600)).toBe(true)
  })
})

describe('preview widths and zoom', () => {
  it('asks for the smallest width the server renders that is sharp enough', () => {
    expect(previewWidthFor(700)).toBe(800)
    expect(previewWidthFor(800)).toBe(800)
    expect(previewWidthFor(700, 2)).toBe(1600)
    expect(previewWidthFor(5000)).toBe(2400)
  })

  it('steps through the zoom levels and stops at the ends', () => {
    expect(nextZoom(1, 1)).toBe(1.5)
    expect(nextZoom(1, -1)).toBe(0.75)
    expect(nextZoom(3, 1)).toBe(3)
    expect(nextZoom(0.5, -1)).toBe(0.5)
    expect(nextZoom(1.2, 1)).toBe(1.5)
    expect(nextZoom(1.2, -1)).toBe(1)
  })
})
