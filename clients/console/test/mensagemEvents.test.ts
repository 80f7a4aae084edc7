/** What each mensagem event does to a mensagem the console holds, and when a failed reply may be resent. */
import type { Mensagem, RealtimeEvent } from '@chat-central/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyMensagemChange, isMensagemChange, onWhatsApp, resendAllowedFrom, type MensagemChange } from '../src/conversas/mensagemEvents';
import { event, mensagem } from './support';

const CONVERSA = '20000000-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-11-29T12:00:00Z');

beforeEach(() => vi.useFakeTimers({ now: NOW }));
afterEach(() => vi.useRealTimers());

function change(type: MensagemChange['type'], m: Mensagem, data: Record<string, unknown>): MensagemChange {
  return event(type, `conversa:${CONVERSA}`, 1, { conversaId: CONVERSA, mensagemId: m.mensagemId, keyId: m.keyId, ...data }) as MensagemChange;
}

describe('a mensagem event', () => {
  it('moves a failed reply on to delivered, dropping its reason', () => {
    const failed = mensagem(CONVERSA, {
      fromMe: true, status: 'ERROR', statusReason: 'no_evidence', statusDetail: 'Evolution answered 500', revision: 1,
    });

    const delivered = applyMensagemChange(failed, change('message_status', failed, { status: 'DELIVERY_ACK', previousStatus: 'ERROR', fromMe: true }));

    expect(delivered.status).toBe('DELIVERY_ACK');
    expect(delivered).not.toHaveProperty('statusReason');
    expect(delivered).not.toHaveProperty('statusDetail');
    expect(delivered).not.toHaveProperty('retryAt');
  });

  it('keeps the reason, the words and retryAt of a reply refused by an open circuit', () => {
    const pending = mensagem(CONVERSA, { fromMe: true, status: 'PENDING', keyId: 'pending:x' });
    const retryAt = '2026-11-29T12:01:30Z';

    const refused = applyMensagemChange(pending, change('message_status', pending, {
      status: 'ERROR', previousStatus: 'PENDING', reason: 'instance_unavailable', error: 'o número está indisponível', retryAt,
    }));

    expect(refused).toMatchObject({ status: 'ERROR', statusReason: 'instance_unavailable', statusDetail: 'o número está indisponível', retryAt });
  });

  it('marks a reply UNCONFIRMED with its reason', () => {
    const pending = mensagem(CONVERSA, { fromMe: true, status: 'PENDING' });

    const unconfirmed = applyMensagemChange(pending, change('message_status', pending, { status: 'UNCONFIRMED', reason: 'unconfirmed', error: null }));

    expect(unconfirmed).toMatchObject({ status: 'UNCONFIRMED', statusReason: 'unconfirmed' });
    expect(unconfirmed).not.toHaveProperty('statusDetail');
  });

  it('replaces the text of an edited mensagem and keeps its first text', () => {
    const original = mensagem(CONVERSA, { text: 'Hoje às 10h' });
    const once = applyMensagemChange(original, change('message_edited', original, {
      text: 'Amanhã às 10h', originalText: 'Hoje às 10h', editedAt: '2026-11-29T11:00:00Z',
    }));
    const twice = applyMensagemChange(once, change('message_edited', once, {
      text: 'Amanhã às 11h', originalText: 'Hoje às 10h', editedAt: '2026-11-29T11:05:00Z',
    }));

    expect(twice).toMatchObject({ text: 'Amanhã às 11h', originalText: 'Hoje às 10h', editedAt: '2026-11-29T11:05:00Z' });
  });

  it('marks a mensagem deleted for everyone and keeps its text out of sight', () => {
    const said = mensagem(CONVERSA, { text: 'ops' });

    const deleted = applyMensagemChange(said, change('message_deleted', said, { fromMe: false, deletedAt: '2026-11-29T11:10:00Z' }));

    expect(deleted).toMatchObject({ text: 'ops', deletedAt: '2026-11-29T11:10:00Z' });
  });

  it('takes the whole reaction list of a reaction event, a removal included', () => {
    const said = mensagem(CONVERSA);
    const customer = { reactorJid: '5511988887777@s.whatsapp.net', fromMe: false, emoji: '❤️', reactedAt: '2026-11-29T11:00:00Z' };
    const company = { reactorJid: 'me', fromMe: true, emoji: '👍', reactedAt: '2026-11-29T11:01:00Z' };

    const both = applyMensagemChange(said, change('message_reaction', said, { reactorJid: 'me', reactorFromMe: true, emoji: '👍', reactions: [customer, company] }));
    const removed = applyMensagemChange(both, change('message_reaction', both, { reactorJid: 'me', reactorFromMe: true, emoji: null, reactions: [customer] }));

    expect(both.reactions).toEqual([customer, company]);
    expect(removed.reactions).toEqual([customer]);
  });

  it('tells the changes of a mensagem from other events', () => {
    const said = mensagem(CONVERSA);
    expect(isMensagemChange(change('message_reaction', said, { reactions: [] }))).toBe(true);
    expect(isMensagemChange(event('message_notification', `conversa:${CONVERSA}`, 1, { mensagem: said }) as RealtimeEvent)).toBe(false);
  });
});

describe('a failed reply', () => {
  it('may be resent at once, after its retryAt when its number was unavailable, and never while UNCONFIRMED', () => {
    const failed = mensagem(CONVERSA, { fromMe: true, status: 'ERROR' });
    const circuit = { ...failed, statusReason: 'instance_unavailable', retryAt: '2026-11-29T12:01:30Z' };

    expect(resendAllowedFrom(failed)).toBe(0);
    expect(resendAllowedFrom(circuit)).toBe(Date.parse('2026-11-29T12:01:30Z'));
    expect(resendAllowedFrom({ ...circuit, retryAt: 'not a time' })).toBe(0);
    expect(resendAllowedFrom({ ...failed, status: 'UNCONFIRMED' })).toBeNull();
    expect(resendAllowedFrom({ ...failed, fromMe: false })).toBeNull();
    expect(resendAllowedFrom({ ...failed, deletedAt: '2026-11-29T11:00:00Z' })).toBeNull();
  });

  it('is on WhatsApp only once its server has it', () => {
    expect(onWhatsApp(mensagem(CONVERSA, { status: 'PENDING' }))).toBe(false);
    expect(onWhatsApp(mensagem(CONVERSA, { status: 'UNCONFIRMED' }))).toBe(false);
    expect(onWhatsApp(mensagem(CONVERSA, { status: 'ERROR' }))).toBe(false);
    expect(onWhatsApp(mensagem(CONVERSA, { status: 'SERVER_ACK' }))).toBe(true);
    expect(onWhatsApp(mensagem(CONVERSA, { status: 'READ' }))).toBe(true);
  });
});
