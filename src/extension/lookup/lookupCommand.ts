import { activeConnections } from '../backends/register';
import type { CommandHandler } from '../context';
import { tracePanels } from '../panels/tracePanels';
import { askRequestId, rememberRequestId } from './askRequestId';

/**
 * `Spanlens: Look Up Request ID…`: an id from the argument (a hover, a link, the terminal, a log
 * line) or the quick input, then one panel with its traces, their logs and the metrics around them.
 */
export const lookupRequestId: CommandHandler = async (ctx, arg) => {
  const id = typeof arg === 'string' && arg.trim() ? arg.trim().slice(0, 512) : await askRequestId(ctx);
  if (!id) return;
  await rememberRequestId(ctx, id);
  tracePanels().show({ kind: 'lookup', environment: activeConnections().environment, id });
};
