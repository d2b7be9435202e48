/**
 * One set of service colour slots for every trace panel, saved between sessions, so a service
 * has the same colour in each panel (see core/model/serviceSlots).
 */
import { ServiceSlots } from '../../core/model/serviceSlots';
import type { TraceData } from '../../core/protocol/trace';
import type { SpanlensContext } from '../context';

const KEY = 'spanlens.serviceColorSlots';

/**
 * `trace` with the colour slot of each of its services. The slots are read from global state
 * each time, not kept: another window may have given out slots since, and VS Code shares global
 * state between windows.
 */
export function withServiceSlots(ctx: SpanlensContext, trace: TraceData): TraceData {
  const slots = new ServiceSlots(ctx.extension.globalState.get<unknown>(KEY));
  const { slots: serviceSlots, changed } = slots.assign(trace.services);
  if (changed) void ctx.extension.globalState.update(KEY, slots.saved);
  return { ...trace, serviceSlots };
}
