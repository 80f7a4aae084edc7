/** The conversa lists and one conversa, against the SDK's fake gateway under fake timers. */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMPRESA, USER, advance, conversa, event, mensagem, mensagemPage, page, renderConsole } from './support';

beforeEach(() => {
  vi.useFakeTimers();
  // as Chromium's: it returns a promise (jsdom has none), which an effect must not hand back to React as its cleanup
  Element.prototype.scrollIntoView = () => Promise.resolve() as never;
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const items = (status: string) => within(screen.getByTestId(`conversa-list-${status}`)).queryAllByTestId('conversa-item');

describe('conversa lists', () => {
  it('shows each status in its tab, and moves a conversa between them as events arrive', async () => {
    const waiting = conversa({ contactName: 'Maria' });
    const mine = conversa({ contactName: 'João', status: 'em_atendimento', atendenteId: USER });
    const closed = conversa({ contactName: 'Rita', status: 'encerrada', atendenteId: 'u-2' });
    const ui = renderConsole();
    const socket = await ui.connect();
    await ui.answer('/api/v1/conversas', page([waiting]), { status: 'aguardando' });
    await ui.answer('/api/v1/conversas', page([mine]), { status: 'em_atendimento' });
    await ui.answer('/api/v1/conversas', page([closed]), { status: 'encerrada' });

    expect(items('aguardando').map((i) => i.textContent)).toEqual([expect.stringContaining('Maria')]);
    fireEvent.click(screen.getByTestId('status-tab-em_atendimento'));
    expect(items('em_atendimento').map((i) => i.dataset.conversaId)).toEqual([mine.conversaId]);
    fireEvent.click(screen.getByTestId('status-tab-encerrada'));
    expect(items('encerrada').map((i) => i.dataset.conversaId)).toEqual([closed.conversaId]);

    // Maria's conversa is assigned: it leaves "aguardando" for "em atendimento", where it is the most recent
    expect(socket.framesOf('subscribe').map((f) => f.channel)).toContain(`empresa:${EMPRESA}`);
    act(() =>
      socket.receive(
        event('conversation_updated', `empresa:${EMPRESA}`, 30, {
          conversa: { ...waiting, status: 'em_atendimento', atendenteId: 'u-2', lastMensagemAt: '2026-11-29T11:00:00Z', version: 2 },
        }),
      ),
    );
    fireEvent.click(screen.getByTestId('status-tab-aguardando'));
    expect(items('aguardando')).toEqual([]);
    fireEvent.click(screen.getByTestId('status-tab-em_atendimento'));
    expect(items('em_atendimento').map((i) => i.dataset.conversaId)).toEqual([waiting.conversaId, mine.conversaId]);

    // an older version (a page read before, a replay) does not undo it
    act(() => socket.receive(event('conversation_updated', `empresa:${EMPRESA}`, 29, { conversa: waiting })));
    expect(items('em_atendimento')).toHaveLength(2);
  });

  it("lists one atendente's conversas, asking the API for them", async () => {
    const ui = renderConsole();
    await ui.connect();
    for (const status of ['aguardando', 'em_atendimento', 'encerrada']) await ui.answer('/api/v1/conversas', page([]), { status });
    const hers = conversa({ status: 'em_atendimento', atendenteId: 'u-2', contactName: 'Paulo' });
    fireEvent.change(screen.getByTestId('atendente-filter'), { target: { value: USER } });
    fireEvent.click(screen.getByTestId('status-tab-em_atendimento'));
    const request = await ui.answer('/api/v1/conversas', page([]), { status: 'em_atendimento', atendente: USER });
    expect(request.url.searchParams.get('atendente')).toBe(USER);
    await ui.answer('/api/v1/conversas', page([hers]), { status: 'aguardando', atendente: USER });
    // what the API answered is known, but the filter shows only the chosen atendente's
    expect(items('em_atendimento')).toEqual([]);
  });
});

describe('a conversa', () => {
  async function openConversa(fields: Parameters<typeof conversa>[0] = {}) {
    const c = conversa({ status: 'em_atendimento', atendenteId: USER, ...fields });
    const ui = renderConsole({ hash: `#/conversas/${c.conversaId}` });
    const socket = await ui.connect();
    for (const status of ['aguardando', 'em_atendimento', 'encerrada']) {
      await ui.answer('/api/v1/conversas', page(status === c.status ? [c] : []), { status });
    }
    return { ui, socket, c };
  }

  it('keeps a reply written while reconnecting and sends it once, with the same commandId, when the connection is back', async () => {
    const { ui, socket, c } = await openConversa();
    const earlier = mensagem(c.conversaId, { text: 'Meu pedido não chegou' });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([earlier]));
    expect(screen.getAllByTestId('mensagem').map((m) => m.dataset.mensagemId)).toEqual([earlier.mensagemId]);

    act(() => socket.serverClose(1011, 'internal error'));
    expect(screen.getByTestId('connection-banner').textContent).toContain('reconectando');
    fireEvent.change(screen.getByTestId('reply-box'), { target: { value: 'Já verifico!' } });
    fireEvent.click(screen.getByTestId('send-button'));
    const pending = screen.getByTestId('pending-reply');
    expect(pending.textContent).toContain('aguardando conexão');
    expect((screen.getByTestId('reply-box') as HTMLTextAreaElement).value).toBe('');
    const commandId = pending.dataset.commandId!;
    expect(socket.framesOf('command')).toEqual([]);

    await advance(1000); // the first backoff (jitter fixed at half of the 1 s cap)
    const again = ui.sockets.last();
    expect(again).not.toBe(socket);
    // an attempt in flight is still "reconectando", not a new "Conectando…"
    expect(screen.getByTestId('connection-banner').dataset.state).toBe('reconnecting');
    expect(screen.getByTestId('connection-banner').textContent).toContain('reconectando');
    act(() => {
      again.accept();
    });
    expect(screen.getByTestId('connection-banner').dataset.state).toBe('connected');
    expect(again.framesOf('command')).toEqual([{ type: 'command', command: 'send_message', conversaId: c.conversaId, text: 'Já verifico!', commandId }]);
    expect(screen.getByTestId('pending-reply').textContent).toContain('enviando');

    await act(async () => {
      again.receive({ type: 'command_accepted', commandId });
      await Promise.resolve();
    });
    expect(screen.queryByTestId('pending-reply')).toBeNull();
    const reply = mensagem(c.conversaId, { fromMe: true, text: 'Já verifico!', status: 'PENDING', senderName: null });
    act(() => again.receive(event('message_notification', `conversa:${c.conversaId}`, 41, { conversa: c, mensagem: reply })));
    act(() => again.receive(event('message_notification', `conversa:${c.conversaId}`, 41, { conversa: c, mensagem: reply })));
    act(() =>
      again.receive(
        event('message_status', `conversa:${c.conversaId}`, 42, {
          conversaId: c.conversaId, mensagemId: reply.mensagemId, keyId: 'WA-1', fromMe: true, status: 'DELIVERY_ACK', previousStatus: 'PENDING',
        }),
      ),
    );
    const shown = screen.getAllByTestId('mensagem');
    expect(shown.map((m) => m.dataset.mensagemId)).toEqual([earlier.mensagemId, reply.mensagemId]);
    expect(within(shown[1]!).getByTestId('mensagem-status')).toMatchObject({ textContent: '✓✓', title: 'Entregue' });
    expect(again.framesOf('command')).toHaveLength(1);
  });

  it('shows a reply that failed with ⚠, resends it with Reenviar, and loads older mensagens on demand', async () => {
    const { ui, socket, c } = await openConversa();
    const failed = mensagem(c.conversaId, { fromMe: true, text: 'Segue o boleto', status: 'ERROR', senderName: null });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, { items: [failed], hasMore: true, before: 'cursor-1', after: 'cursor-1' });
    expect(screen.getByTestId('mensagem-status')).toMatchObject({ textContent: '⚠', title: 'Falhou' });
    fireEvent.click(screen.getByTestId('resend-button'));
    expect(socket.framesOf('command')).toEqual([
      { type: 'command', command: 'resend', conversaId: c.conversaId, mensagemId: failed.mensagemId, commandId: expect.any(String) },
    ]);
    const older = mensagem(c.conversaId, { text: 'Quero a segunda via' });
    fireEvent.click(screen.getByText('Mensagens anteriores'));
    const request = await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, { items: [older], hasMore: false, before: 'cursor-0', after: 'cursor-0' });
    expect(request.url.searchParams.get('before')).toBe('cursor-1');
    expect(screen.getAllByTestId('mensagem').map((m) => m.dataset.mensagemId)).toEqual([older.mensagemId, failed.mensagemId]);
    expect(screen.queryByText('Mensagens anteriores')).toBeNull();
  });

  it('shows an unconfirmed reply apart, without a resend button', async () => {
    const { ui, c } = await openConversa();
    const unconfirmed = mensagem(c.conversaId, { fromMe: true, status: 'UNCONFIRMED', statusReason: 'unconfirmed', senderName: null, revision: 1 });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([unconfirmed]));

    expect(screen.getByTestId('mensagem-unconfirmed').textContent).toBe('⏳ não confirmada — aguardando o WhatsApp');
    expect(screen.getByTestId('mensagem-status')).toMatchObject({ textContent: '⏳' });
    expect(screen.queryByTestId('resend-button')).toBeNull();
    // not on WhatsApp for sure: neither deleted nor reacted to
    expect(screen.queryByTestId('delete-button')).toBeNull();
    expect(screen.queryByTestId('react-button')).toBeNull();
  });

  it('shows why a reply failed and holds its resend back until its number can send again', async () => {
    const { ui, socket, c } = await openConversa();
    const retryAt = new Date(Date.now() + 90_000).toISOString();
    const refused = mensagem(c.conversaId, {
      fromMe: true, status: 'ERROR', senderName: null, revision: 1, statusReason: 'instance_unavailable',
      statusDetail: 'O número do WhatsApp está indisponível', retryAt,
    });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([refused]));

    expect(screen.getByTestId('mensagem-status-detail').textContent).toBe('O número do WhatsApp está indisponível');
    expect(screen.getByTestId('mensagem-retry-at').textContent).toMatch(/^tente novamente após \d{2}:\d{2}$/);
    expect(screen.getByTestId('resend-button')).toHaveProperty('disabled', true);

    await advance(90_000);

    expect(screen.queryByTestId('mensagem-retry-at')).toBeNull();
    fireEvent.click(screen.getByTestId('resend-button'));
    expect(socket.framesOf('command')).toEqual([
      { type: 'command', command: 'resend', conversaId: c.conversaId, mensagemId: refused.mensagemId, commandId: expect.any(String) },
    ]);
  });

  it('applies edits, deletions and reactions to the open conversa, and a failed reply delivered after all', async () => {
    const { ui, socket, c } = await openConversa();
    const said = mensagem(c.conversaId, { text: 'Hoje às 10h' });
    const failed = mensagem(c.conversaId, { fromMe: true, status: 'ERROR', statusDetail: 'sem resposta', senderName: null, revision: 1 });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([said, failed]));
    const channel = `conversa:${c.conversaId}`;
    const ids = { conversaId: c.conversaId, mensagemId: said.mensagemId, keyId: said.keyId };
    const [saidItem, failedItem] = screen.getAllByTestId('mensagem') as [HTMLElement, HTMLElement];

    act(() => socket.receive(event('message_edited', channel, 40, { ...ids, fromMe: false, text: 'Amanhã às 10h', originalText: 'Hoje às 10h', editedAt: '2026-11-29T10:05:00Z' })));
    expect(within(saidItem).getByText('Amanhã às 10h')).toBeTruthy();
    expect(within(saidItem).getByTestId('mensagem-edited')).toMatchObject({ textContent: 'editada', title: 'Original: Hoje às 10h' });

    const customer = { reactorJid: '5511988887777@s.whatsapp.net', fromMe: false, emoji: '❤️', reactedAt: '2026-11-29T10:06:00Z' };
    act(() => socket.receive(event('message_reaction', channel, 41, { ...ids, reactorJid: customer.reactorJid, reactorFromMe: false, emoji: '❤️', reactions: [customer] })));
    expect(within(saidItem).getAllByTestId('reaction').map((r) => r.textContent)).toEqual(['❤️']);

    act(() => socket.receive(event('message_status', channel, 42, {
      conversaId: c.conversaId, mensagemId: failed.mensagemId, keyId: '3EB0LATE', fromMe: true, status: 'DELIVERY_ACK', previousStatus: 'ERROR',
    })));
    expect(within(failedItem).getByTestId('mensagem-status')).toMatchObject({ textContent: '✓✓', title: 'Entregue' });
    expect(within(failedItem).queryByTestId('resend-button')).toBeNull();
    expect(within(failedItem).queryByTestId('mensagem-status-detail')).toBeNull();

    act(() => socket.receive(event('message_deleted', channel, 43, { ...ids, fromMe: false, deletedAt: '2026-11-29T10:07:00Z' })));
    expect(within(saidItem).getByTestId('mensagem-deleted').textContent).toContain('Esta mensagem foi apagada');
    expect(within(saidItem).queryByText('Amanhã às 10h')).toBeNull();
    expect(within(saidItem).queryByTestId('mensagem-reactions')).toBeNull();
    expect(within(saidItem).queryByTestId('react-button')).toBeNull();

    // its first appearance, arriving late (the empresa channel's copy, a resumed session), does not undo what came after it
    act(() => socket.receive(event('message_notification', channel, 45, { conversa: c, mensagem: { ...failed, status: 'PENDING', revision: 0 } })));
    expect(within(failedItem).getByTestId('mensagem-status')).toMatchObject({ title: 'Entregue' });
    // nor does an event of a mensagem this conversa does not show
    act(() => socket.receive(event('message_deleted', channel, 46, { ...ids, mensagemId: '30000000-0000-4000-8000-000000000009', deletedAt: '2026-11-29T10:08:00Z' })));
    expect(screen.getAllByTestId('mensagem')).toHaveLength(2);
  });

  it("reacts to a customer's mensagem, takes the reaction back, and deletes its own delivered reply for everyone", async () => {
    const { ui, socket, c } = await openConversa();
    const said = mensagem(c.conversaId, {
      reactions: [{ reactorJid: 'me', fromMe: true, emoji: '👍', reactedAt: '2026-11-29T10:01:00Z' }],
    });
    const reply = mensagem(c.conversaId, { fromMe: true, status: 'DELIVERY_ACK', senderName: null });
    const pending = mensagem(c.conversaId, { fromMe: true, status: 'PENDING', senderName: null, keyId: 'pending:x' });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([said, reply, pending]));
    const [saidItem, replyItem, pendingItem] = screen.getAllByTestId('mensagem') as [HTMLElement, HTMLElement, HTMLElement];

    expect(within(saidItem).queryByTestId('delete-button')).toBeNull();
    expect(within(pendingItem).queryByTestId('delete-button')).toBeNull();
    fireEvent.click(within(saidItem).getByTestId('react-button'));
    fireEvent.click(within(saidItem).getByText('❤️'));
    fireEvent.click(within(saidItem).getByTestId('react-button'));
    fireEvent.click(within(saidItem).getByText('👍', { selector: 'button' }));
    fireEvent.click(within(replyItem).getByTestId('delete-button'));
    expect(socket.framesOf('command')).toEqual([
      { type: 'command', command: 'react', conversaId: c.conversaId, mensagemId: said.mensagemId, emoji: '❤️', commandId: expect.any(String) },
      { type: 'command', command: 'react', conversaId: c.conversaId, mensagemId: said.mensagemId, emoji: '', commandId: expect.any(String) },
    ]);
    fireEvent.click(within(replyItem).getByTestId('delete-confirm'));
    expect(socket.framesOf('command').at(-1)).toEqual(
      { type: 'command', command: 'delete', conversaId: c.conversaId, mensagemId: reply.mensagemId, commandId: expect.any(String) },
    );
  });

  it('shows a mensagem the empresa channel brought before the conversa was opened, though PostgreSQL lacks it yet', async () => {
    const c = conversa({ status: 'aguardando', atendenteId: null });
    const ui = renderConsole({ hash: '#/conversas' });
    const socket = await ui.connect();
    for (const status of ['aguardando', 'em_atendimento', 'encerrada']) {
      await ui.answer('/api/v1/conversas', page(status === c.status ? [c] : []), { status });
    }
    const earlier = mensagem(c.conversaId, { text: 'Oi' });
    const late = mensagem(c.conversaId, { text: 'Ainda estão aí?' });
    act(() => socket.receive(event('message_notification', `empresa:${EMPRESA}`, 90, { conversa: c, mensagem: late })));

    fireEvent.click(items('aguardando')[0]!);
    // the sink has not written the late one yet: the page stops before it
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([earlier]));

    expect(screen.getAllByTestId('mensagem').map((m) => m.dataset.mensagemId)).toEqual([earlier.mensagemId, late.mensagemId]);
    // and once the conversa's own channel brings it again, it stays one
    act(() => socket.receive(event('message_notification', `conversa:${c.conversaId}`, 90, { conversa: c, mensagem: late })));
    expect(screen.getAllByTestId('mensagem')).toHaveLength(2);
  });

  it('follows a conversa refused while the sink had not written it yet, once it has', async () => {
    const { ui, socket, c } = await openConversa();
    const channel = `conversa:${c.conversaId}`;
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, { error: 'not_found', reason: 'no such conversa' }, {}, 404);
    act(() => socket.receive({ type: 'error', code: 'forbidden', message: 'not yours', channel }));
    await advance(2000);
    expect(socket.framesOf('subscribe').filter((f) => f.channel === channel)).toHaveLength(2);
    const first = mensagem(c.conversaId, { text: 'Oi, boa tarde' });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([first]));
    act(() => socket.receive({ type: 'subscribed', channel, position: 80 }));
    const later = mensagem(c.conversaId, { text: 'Alguém aí?' });
    act(() => socket.receive(event('message_notification', channel, 81, { conversa: c, mensagem: later })));
    expect(screen.getAllByTestId('mensagem').map((m) => m.dataset.mensagemId)).toEqual([first.mensagemId, later.mensagemId]);
  });

  it("shows the customer's and a colleague's typing, and sends this atendente's", async () => {
    const { ui, socket, c } = await openConversa();
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([]));
    const channel = `conversa:${c.conversaId}`;
    act(() => socket.receive(event('typing_start', channel, 50, { conversaId: c.conversaId, who: 'cliente', jid: c.remoteJid, presence: 'composing' })));
    expect(screen.getByTestId('typing-indicator').textContent).toBe('Cliente está digitando…');
    act(() => socket.receive(event('typing_start', channel, 51, { conversaId: c.conversaId, who: 'atendente', userId: 'u-2', name: 'Bia' })));
    expect(screen.getByTestId('typing-indicator').textContent).toBe('Cliente e Bia estão digitando…');
    await advance(10_000);
    expect(screen.getByTestId('typing-indicator').textContent).toBe('');

    fireEvent.change(screen.getByTestId('reply-box'), { target: { value: 'O' } });
    expect(socket.framesOf('typing_start')).toEqual([{ type: 'typing_start', conversaId: c.conversaId }]);
    await advance(3000);
    expect(socket.framesOf('typing_stop')).toEqual([{ type: 'typing_stop', conversaId: c.conversaId }]);
  });

  it('transfers to someone online, assigns, closes and reopens with commands', async () => {
    const { ui, socket, c } = await openConversa({ status: 'aguardando', atendenteId: null });
    await ui.answer(`/api/v1/conversas/${c.conversaId}/mensagens`, mensagemPage([]));
    act(() =>
      socket.receive({
        type: 'presence_snapshot',
        channel: `presence:${EMPRESA}`,
        data: {
          empresaId: EMPRESA,
          online: [
            { userId: USER, name: 'Ana', status: 'disponivel', since: '2026-11-29T09:00:00Z' },
            { userId: 'u-2', name: 'Bia', status: 'ocupado', since: '2026-11-29T09:00:00Z' },
          ],
          count: 2,
          version: 3,
          ts: '2026-11-29T09:00:00Z',
        },
      }),
    );
    fireEvent.click(screen.getByTestId('assign-button'));
    fireEvent.click(screen.getByTestId('transfer-button'));
    const options = within(screen.getByTestId('transfer-target')).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Devolver à fila', 'Bia (ocupado)']);
    fireEvent.change(screen.getByTestId('transfer-target'), { target: { value: 'u-2' } });
    fireEvent.click(screen.getByTestId('transfer-confirm'));
    fireEvent.click(screen.getByTestId('close-button'));
    expect(socket.framesOf('command').map(({ command, conversaId, ...rest }) => [command, conversaId === c.conversaId, 'targetAtendenteId' in rest ? rest.targetAtendenteId : undefined])).toEqual([
      ['assign', true, undefined],
      ['transfer', true, 'u-2'],
      ['close', true, undefined],
    ]);

    act(() => socket.receive(event('conversation_updated', `empresa:${EMPRESA}`, 60, { conversa: { ...c, status: 'encerrada', version: 5 } })));
    expect(screen.getByTestId('conversa-view').dataset.status).toBe('encerrada');
    expect(screen.queryByTestId('close-button')).toBeNull();
    expect((screen.getByTestId('reply-box') as HTMLTextAreaElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('reopen-button'));
    expect(socket.framesOf('command').at(-1)).toMatchObject({ command: 'reopen', conversaId: c.conversaId });
  });

  it('tells the atendente when a conversa is transferred to them, and when a command is refused', async () => {
    const { socket, c } = await openConversa();
    const own = `atendente:${USER}`;
    act(() => socket.receive(event('conversation_transferred', own, 70, { conversa: c, from: 'u-2', to: USER, by: 'u-2' })));
    act(() =>
      socket.receive(
        event('command_rejected', own, 71, { commandId: 'x', type: 'assign', conversaId: c.conversaId, reason: 'already_assigned', message: 'assigned to u-2' }),
      ),
    );
    expect(screen.getAllByTestId('notification').map((n) => n.textContent)).toEqual([
      expect.stringContaining('Comando "assign" recusado: assigned to u-2'),
      expect.stringContaining(`transferiu para você a conversa com ${c.contactName}`),
    ]);
  });
});
