// Reports the settings of a variable that a higher-precedence one hides.
import { finding } from '../findings';
import type { VarHit } from '../variables';
import type { Emit } from './types';

export function reportShadowed(hit: VarHit | undefined, shadowed: readonly VarHit[], emit: Emit): void {
  if (hit === undefined) return;
  for (const s of shadowed) {
    if (JSON.stringify(s.value) === JSON.stringify(hit.value)) continue;
    emit(
      finding(
        'IMPORT_VARIABLE_SHADOWED',
        s.file,
        s.path,
        `${String(s.path[s.path.length - 1])} here is never used: ${hit.file} sets it with higher precedence`,
        `imported the value from ${hit.file}`,
      ),
    );
  }
}
