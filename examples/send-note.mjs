// Sends one note to notesync the way an extension does, and shows both answers:
//   node examples/send-note.mjs URL TOKEN
// Two sockets of the token's user connect; the first sends a `packet` and prints its
// `confirmation`, the second prints the `fPacket` it receives for that packet (a user's other
// tabs and devices see notes that way). Exits 0 when both arrived, 1 otherwise.
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: node examples/send-note.mjs URL TOKEN   (e.g. http://127.0.0.1:8080 and a token from `notesync token issue`)');
  process.exit(2);
}

const WAIT_MS = 10_000;
const options = { auth: { token }, transports: ['websocket'], reconnection: false };
const sender = io(url, options);
const otherTab = io(url, options);
const sockets = [sender, otherTab];

// A refused token is accepted, answered with invalidToken, then disconnected: whichever socket
// hears a refusal or loses its connection ends the run with the server's reason.
let done = false;
const refused = new Promise((_, reject) => {
  for (const socket of sockets) {
    socket.on('connect_error', (err) => reject(new Error(`connect_error: ${err.message}`)));
    socket.on('invalidToken', (body) => reject(new Error(`invalidToken: ${JSON.stringify(body)}`)));
    socket.on('packetError', (body) => reject(new Error(`packetError: ${JSON.stringify(body)}`)));
    socket.on('disconnect', (reason) => done || reject(new Error(`disconnected: ${reason}`)));
  }
});
refused.catch(() => {});

function connected(socket) {
  return new Promise((resolve) => socket.once('connect', resolve));
}

function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms); });
  return Promise.race([promise, refused, timeout]).finally(() => clearTimeout(timer));
}

try {
  await within(WAIT_MS, Promise.all(sockets.map(connected)), 'connection');
  const packet = {
    packetId: randomUUID(),
    videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s',
    notes: [{ text: 'the chorus starts here', timestamp: 42.5 }],
  };
  const forwarded = new Promise((resolve) => otherTab.on('fPacket', (body) => body.packetId === packet.packetId && resolve(body)));
  const confirmed = new Promise((resolve) => sender.on('confirmation', (body) => body.packetId === packet.packetId && resolve(body)));
  sender.emit('packet', packet);
  console.log('confirmation', JSON.stringify(await within(WAIT_MS, confirmed, 'confirmation')));
  console.log('fPacket', JSON.stringify(await within(WAIT_MS, forwarded, 'fPacket on the second socket')));
} catch (err) {
  console.error(`send-note: ${err.message}`);
  process.exitCode = 1;
} finally {
  done = true;
  sockets.forEach((socket) => socket.disconnect());
}
