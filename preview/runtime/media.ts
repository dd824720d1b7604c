/** Local camera/microphone for the stand-ins, with a fallback when the browser has no device or refuses. */

export interface LocalMedia {
  stream: MediaStream;
  error?: 'camera' | 'mic' | 'both';
}

/** A moving test pattern, used when there is no camera (or when it was refused). */
function syntheticVideo(label: string): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d');
  let n = 0;
  const timer = setInterval(() => {
    if (!g) return;
    n++;
    g.fillStyle = `hsl(${(n * 3) % 360},60%,35%)`;
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#fff';
    g.font = '28px sans-serif';
    g.fillText(label, 16, 120);
    g.fillText(String(n), 16, 160);
  }, 66);
  const track = canvas.captureStream(15).getVideoTracks()[0];
  track.addEventListener('ended', () => clearInterval(timer));
  return track;
}

export async function getLocalMedia(
  label: string,
  facing: 'user' | 'environment' = 'user',
): Promise<LocalMedia> {
  const md = navigator.mediaDevices;
  if (!md?.getUserMedia) {
    return { stream: new MediaStream([syntheticVideo(label)]), error: 'both' };
  }
  try {
    const stream = await md.getUserMedia({
      audio: true,
      video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: facing },
    });
    return { stream };
  } catch {
    // try each device alone so a missing mic does not cost the camera
    const tracks: MediaStreamTrack[] = [];
    let error: LocalMedia['error'];
    try {
      tracks.push(...(await md.getUserMedia({ video: { facingMode: facing } })).getTracks());
    } catch {
      tracks.push(syntheticVideo(label));
      error = 'camera';
    }
    try {
      tracks.push(...(await md.getUserMedia({ audio: true })).getTracks());
    } catch {
      error = error ? 'both' : 'mic';
    }
    return { stream: new MediaStream(tracks), error };
  }
}
