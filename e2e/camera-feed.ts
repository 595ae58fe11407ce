// A barcode as a camera would see it, for Chromium's fake camera (--use-file-for-fake-video-capture): the symbol
// drawn by bwip-js (the encoder the label pages use), black on white in the middle of a 640×480 frame, written
// as a Y4M file (uncompressed 4:2:0 video: a luma plane and two flat chroma planes) that Chromium loops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import bwipjs from 'bwip-js/node';

const W = 640;
const H = 480;
const WHITE = 235;
const BLACK = 16;

type Raw = { sbs?: number[]; pixs?: number[]; pixx?: number; pixy?: number };

function frame(): Uint8Array {
  return new Uint8Array(W * H).fill(WHITE);
}

function box(luma: Uint8Array, x: number, y: number, w: number, h: number) {
  for (let r = y; r < y + h; r++) luma.fill(BLACK, r * W + x, r * W + x + w);
}

// EAN-13: bars and spaces alternate (bars first), each width in modules.
export function linearFrame(bcid: 'ean13' | 'code128', text: string, module = 4): Uint8Array {
  const [raw] = bwipjs.raw({ bcid, text }) as Raw[];
  const widths = raw.sbs!;
  const total = widths.reduce((a, b) => a + b, 0) * module;
  if (total > W - 40) throw new Error(`${text} is too wide for the frame at ${module} px a module`);
  const luma = frame();
  let x = Math.floor((W - total) / 2);
  widths.forEach((wd, i) => {
    if (i % 2 === 0) box(luma, x, 140, wd * module, 200);
    x += wd * module;
  });
  return luma;
}

// A GS1 DataMatrix from a bracketed element string, "(01)…(10)…".
export function gs1DataMatrixFrame(text: string, module = 12): Uint8Array {
  const [raw] = bwipjs.raw({ bcid: 'gs1datamatrix', text }) as Raw[];
  const { pixs, pixx, pixy } = raw as Required<Raw>;
  const luma = frame();
  const x0 = Math.floor((W - pixx * module) / 2);
  const y0 = Math.floor((H - pixy * module) / 2);
  for (let r = 0; r < pixy; r++) for (let c = 0; c < pixx; c++) if (pixs[r * pixx + c]) box(luma, x0 + c * module, y0 + r * module, module, module);
  return luma;
}

// The file to pass to --use-file-for-fake-video-capture: a few identical frames, grey chroma.
export function fakeCamera(luma: Uint8Array): string {
  const file = path.join(os.tmpdir(), `onhand-camera-${randomBytes(4).toString('hex')}.y4m`);
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < 5; i++) parts.push(Buffer.from('FRAME\n'), Buffer.from(luma), chroma, chroma);
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}
