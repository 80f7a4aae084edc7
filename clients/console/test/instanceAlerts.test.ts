/** Which of the empresa's WhatsApp numbers the console warns about, after each instance_status. */
import type { InstanceStatusData } from '@chat-central/client';
import { describe, expect, it } from 'vitest';
import { applyInstanceStatus, describeInstance } from '../src/InstanceAlerts';

function status(instance: string, state: string, extra: Partial<InstanceStatusData> = {}): InstanceStatusData {
  return { instance, state, statusReason: null, wuid: null, profileName: null, ...extra };
}

describe('instance alerts', () => {
  it('warns about a silent number until its next webhook ends the silence', () => {
    const silent = applyInstanceStatus({}, status('loja-01', 'open', { silent: true, lastWebhookAt: '2026-11-29T12:00:00Z' }));
    expect(Object.keys(silent)).toEqual(['loja-01']);
    expect(describeInstance(silent['loja-01']!)).toContain('não envia nada desde');

    expect(applyInstanceStatus(silent, status('loja-01', 'open', { silent: false }))).toEqual({});
  });

  it('warns about a closed number and forgets it once it is open again, leaving the others', () => {
    const two = applyInstanceStatus(applyInstanceStatus({}, status('loja-01', 'close', { statusReason: 401 })), status('loja-02', 'connecting'));
    expect(describeInstance(two['loja-01']!)).toBe('Número loja-01 desconectado do WhatsApp (401).');
    expect(describeInstance(two['loja-02']!)).toContain('reconectando');

    expect(Object.keys(applyInstanceStatus(two, status('loja-01', 'open')))).toEqual(['loja-02']);
  });

  it('ignores an open number it was not warning about', () => {
    expect(applyInstanceStatus({}, status('loja-03', 'open'))).toEqual({});
  });
});
