// Distinct sounds for success, warning and error, so a worker hears the answer without looking. Browsers keep
// audio suspended until a user gesture, so the first tap or key press unlocks it.
export type SoundKind = 'success' | 'warning' | 'error' | 'info';

let audio: AudioContext | null = null;

export function unlockAudio() {
  if (typeof window === 'undefined') return;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return;
  audio ??= new Ctor();
  if (audio.state === 'suspended') void audio.resume();
}

function tone(freq: number, at: number, seconds: number, type: OscillatorType) {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = type;
  osc.frequency.value = freq;
  const t = audio.currentTime + at;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.25, t + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + seconds);
  osc.connect(gain).connect(audio.destination);
  osc.start(t);
  osc.stop(t + seconds + 0.02);
}

export function playSound(kind: SoundKind) {
  if (kind === 'info') return;
  if (audio?.state === 'running') {
    if (kind === 'success') tone(1320, 0, 0.09, 'sine');
    if (kind === 'warning') {
      tone(660, 0, 0.12, 'triangle');
      tone(880, 0.15, 0.12, 'triangle');
    }
    if (kind === 'error') {
      tone(180, 0, 0.18, 'square');
      tone(140, 0.22, 0.25, 'square');
    }
  }
  if (typeof navigator !== 'undefined' && 'vibrate' in navigator) navigator.vibrate(kind === 'error' ? [90, 60, 90] : kind === 'warning' ? [60, 40, 60] : 25);
}
