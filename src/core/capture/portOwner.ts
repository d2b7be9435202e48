/**
 * Who listens on a TCP port, when the system can tell: on Linux, the listening socket's inode
 * from /proc/net/tcp and tcp6, then the process holding that inode among /proc/<pid>/fd (only
 * processes this user may inspect). Elsewhere, or when nothing is found, undefined — the caller
 * then says only that the port is taken.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface PortOwner {
  readonly pid: number;
  /** The command line, shortened. */
  readonly command: string;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st … inode: state 0A is LISTEN.
      if (f.length < 10 || f[3] !== '0A') continue;
      if (f[1]!.split(':')[1] === hex) inodes.add(f[9]!);
    }
  }
  return inodes;
}

export function findPortOwner(port: number): PortOwner | undefined {
  if (process.platform !== 'linux') return undefined;
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (!m || !inodes.has(m[1]!)) continue;
      let command = '';
      try {
        command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      } catch {
        command = '';
      }
      return { pid: Number(pid), command: command.length > 120 ? `${command.slice(0, 117)}…` : command || `process ${pid}` };
    }
  }
  return undefined;
}
