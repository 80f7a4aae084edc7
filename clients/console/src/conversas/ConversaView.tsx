import { COMPANY_REACTOR, randomUuid, type CommandInput, type Conversa, type Mensagem, type OnlineUser, type TypingUser } from '@chat-central/client';
import { useChatCentral, useConversationRealtime } from '@chat-central/react';
import { useEffect, useRef, useState } from 'react';
import { STATUS_LABELS, TICKS, atendenteName, contactOf, timeOf } from './format';
import type { RecentMensagens } from './recentMensagens';
import { onWhatsApp, resendAllowedFrom } from './mensagemEvents';
import { useMensagens } from './useMensagens';
import { usePendingReplies } from './usePendingReplies';

/** One conversa: its mensagens with delivery ticks, who types, the reply box, and the atendente's commands. */
export function ConversaView({
  conversaId,
  conversa,
  onLoaded,
  online,
  ownUserId,
  recent,
}: {
  conversaId: string;
  conversa: Conversa | undefined;
  onLoaded: (conversa: Conversa) => void;
  online: readonly OnlineUser[];
  ownUserId: string;
  /** what the empresa's channel brought lately, for mensagens PostgreSQL does not have yet */
  recent?: RecentMensagens;
}) {
  const { rest, client } = useChatCentral();
  const [notFound, setNotFound] = useState(false);
  useEffect(() => {
    if (conversa) return;
    rest.get<Conversa>(`/api/v1/conversas/${encodeURIComponent(conversaId)}`).then(onLoaded, () => setNotFound(true));
    // read once per conversa opened: the live list keeps it up to date afterwards
  }, [conversaId]);

  const attempt = useRefusalRetry(`conversa:${conversaId}`);
  const [actionError, setActionError] = useState<string | null>(null);
  const sendCommand = (input: CommandInput) => {
    setActionError(null);
    client.command(input).catch((error: Error) => setActionError(`Comando recusado: ${error.message}`));
  };

  if (!conversa) {
    return <section className="conversa">{notFound ? <p>Conversa não encontrada.</p> : <p>Carregando…</p>}</section>;
  }
  const mine = conversa.atendenteId === ownUserId;
  return (
    <section className="conversa" data-testid="conversa-view" data-conversa-id={conversaId} data-status={conversa.status}>
      <header>
        <h2>{contactOf(conversa)}</h2>
        <p className="meta">
          <span data-testid="conversa-status">{STATUS_LABELS[conversa.status]}</span> · atendente:{' '}
          <span data-testid="conversa-atendente">{atendenteName(conversa.atendenteId, online)}</span> · {conversa.instance}
        </p>
        <Actions conversa={conversa} mine={mine} online={online} ownUserId={ownUserId} sendCommand={sendCommand} />
        {actionError && (
          <p className="error" role="alert">
            {actionError}
          </p>
        )}
      </header>
      <MensagemList key={attempt} conversaId={conversaId} sendCommand={sendCommand} recent={recent} />
      <Reply key={`reply-${attempt}`} conversaId={conversaId} closed={conversa.status === 'encerrada'} />
    </section>
  );
}

const RETRY_AFTER_MS = 2000;
const MAX_RETRIES = 5;

/**
 * A conversa announced on the `empresa:` channel may not be in PostgreSQL yet (the sink writes it a moment later),
 * and until it is the gateway refuses its channel as `forbidden` (and the SDK stops following it). So a refusal of
 * `channel` is tried again a few times: the number returned changes, and the parts keyed by it subscribe anew.
 */
function useRefusalRetry(channel: string): number {
  const { client } = useChatCentral();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = client.on('error', (frame) => {
      if (frame.channel !== channel || frame.code !== 'forbidden' || attempt >= MAX_RETRIES) return;
      clearTimeout(timer);
      timer = setTimeout(() => setAttempt(attempt + 1), RETRY_AFTER_MS);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [client, channel, attempt]);
  return attempt;
}

function Actions({
  conversa,
  mine,
  online,
  ownUserId,
  sendCommand,
}: {
  conversa: Conversa;
  mine: boolean;
  online: readonly OnlineUser[];
  ownUserId: string;
  sendCommand: (input: CommandInput) => void;
}) {
  const [transferring, setTransferring] = useState(false);
  const [target, setTarget] = useState('');
  const { conversaId } = conversa;
  if (conversa.status === 'encerrada') {
    return (
      <div className="actions">
        <button type="button" data-testid="reopen-button" onClick={() => sendCommand({ command: 'reopen', conversaId })}>
          Reabrir
        </button>
      </div>
    );
  }
  const others = online.filter((user) => user.userId !== ownUserId && user.userId !== conversa.atendenteId);
  return (
    <div className="actions">
      {!mine && (
        <button type="button" data-testid="assign-button" onClick={() => sendCommand({ command: 'assign', conversaId })}>
          Assumir
        </button>
      )}
      <button type="button" data-testid="transfer-button" onClick={() => setTransferring(!transferring)}>
        Transferir
      </button>
      <button type="button" data-testid="close-button" onClick={() => sendCommand({ command: 'close', conversaId })}>
        Encerrar
      </button>
      {transferring && (
        <div className="transfer">
          <label>
            Para{' '}
            <select data-testid="transfer-target" value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">Devolver à fila</option>
              {others.map((user) => (
                <option key={user.userId} value={user.userId}>
                  {user.name ?? user.userId} ({user.status})
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            data-testid="transfer-confirm"
            onClick={() => {
              sendCommand({ command: 'transfer', conversaId, targetAtendenteId: target === '' ? null : target });
              setTransferring(false);
            }}
          >
            Confirmar transferência
          </button>
        </div>
      )}
    </div>
  );
}

function MensagemList({
  conversaId,
  sendCommand,
  recent,
}: {
  conversaId: string;
  sendCommand: (input: CommandInput) => void;
  recent: RecentMensagens | undefined;
}) {
  const mensagens = useMensagens(conversaId, recent);
  const end = useRef<HTMLLIElement>(null);
  // in braces: Chromium's scrollIntoView returns a promise, which React would take for a cleanup function
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [mensagens.items.length]);
  return (
    <div className="mensagens">
      {mensagens.hasOlder && (
        <button type="button" className="more" onClick={mensagens.loadOlder}>
          Mensagens anteriores
        </button>
      )}
      {mensagens.error && (
        <p className="error" role="alert">
          {mensagens.error}
        </p>
      )}
      <ol data-testid="mensagem-list">
        {mensagens.items.map((mensagem) => (
          <MensagemItem key={mensagem.mensagemId} mensagem={mensagem} sendCommand={sendCommand} />
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
    </div>
  );
}

function MensagemItem({ mensagem, sendCommand }: { mensagem: Mensagem; sendCommand: (input: CommandInput) => void }) {
  const tick = TICKS[mensagem.status];
  const deleted = mensagem.deletedAt !== undefined && mensagem.deletedAt !== null;
  const { conversaId, mensagemId } = mensagem;
  return (
    <li
      className={mensagem.fromMe ? 'mensagem from-me' : 'mensagem'}
      data-testid="mensagem"
      data-mensagem-id={mensagemId}
      data-status={mensagem.status}
      data-deleted={deleted ? 'true' : undefined}
    >
      {!mensagem.fromMe && mensagem.senderName && <span className="sender">{mensagem.senderName}</span>}
      {deleted ? (
        <span className="text deleted" data-testid="mensagem-deleted">
          🚫 Esta mensagem foi apagada
        </span>
      ) : (
        <span className="text">{mensagem.text ?? `[${mensagem.messageType}]`}</span>
      )}
      {!deleted && mensagem.editedAt && (
        <span className="edited" data-testid="mensagem-edited" title={`Original: ${mensagem.originalText ?? ''}`}>
          editada
        </span>
      )}
      <span className="time">{timeOf(mensagem.sentAt ?? mensagem.receivedAt)}</span>
      {mensagem.fromMe && (
        <span className={`tick tick-${mensagem.status.toLowerCase()}`} data-testid="mensagem-status" title={tick.title}>
          {tick.mark}
        </span>
      )}
      {mensagem.fromMe && mensagem.status === 'UNCONFIRMED' && (
        <span className="unconfirmed" data-testid="mensagem-unconfirmed">
          ⏳ não confirmada — aguardando o WhatsApp
        </span>
      )}
      {mensagem.fromMe && mensagem.status === 'ERROR' && !deleted && <Failure mensagem={mensagem} sendCommand={sendCommand} />}
      {!deleted && <Reactions mensagem={mensagem} />}
      {!deleted && (!mensagem.fromMe || onWhatsApp(mensagem)) && <MensagemActions mensagem={mensagem} sendCommand={sendCommand} />}
    </li>
  );
}

/** Why a reply failed, and its resend button: held back until its number's circuit lets a send through. */
function Failure({ mensagem, sendCommand }: { mensagem: Mensagem; sendCommand: (input: CommandInput) => void }) {
  const from = resendAllowedFrom(mensagem) ?? 0;
  const waiting = useBefore(from);
  return (
    <>
      {mensagem.statusDetail && (
        <span className="error" data-testid="mensagem-status-detail">
          {mensagem.statusDetail}
        </span>
      )}
      {waiting && (
        <span className="hint" data-testid="mensagem-retry-at">
          tente novamente após {timeOf(mensagem.retryAt ?? null)}
        </span>
      )}
      <button
        type="button"
        data-testid="resend-button"
        disabled={waiting}
        onClick={() => sendCommand({ command: 'resend', conversaId: mensagem.conversaId, mensagemId: mensagem.mensagemId })}
      >
        Reenviar
      </button>
    </>
  );
}

/** Whether now is before `at` (epoch ms), rendering again when it passes. */
function useBefore(at: number): boolean {
  const [, setTick] = useState(0);
  const before = Date.now() < at;
  useEffect(() => {
    if (!before) return;
    const timer = setTimeout(() => setTick((n) => n + 1), at - Date.now());
    return () => clearTimeout(timer);
  }, [at, before]);
  return before;
}

function Reactions({ mensagem }: { mensagem: Mensagem }) {
  const reactions = mensagem.reactions ?? [];
  if (reactions.length === 0) return null;
  return (
    <ul className="reactions" data-testid="mensagem-reactions">
      {reactions.map((reaction) => (
        <li
          key={reaction.reactorJid}
          data-testid="reaction"
          title={reaction.reactorJid === COMPANY_REACTOR ? 'Empresa' : reaction.reactorJid.replace(/@.*$/, '')}
        >
          {reaction.emoji}
        </li>
      ))}
    </ul>
  );
}

const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/** React (as the empresa's number, which its atendentes share) and, on the empresa's own replies, delete for everyone. */
function MensagemActions({ mensagem, sendCommand }: { mensagem: Mensagem; sendCommand: (input: CommandInput) => void }) {
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { conversaId, mensagemId } = mensagem;
  const current = mensagem.reactions?.find((reaction) => reaction.reactorJid === COMPANY_REACTOR)?.emoji;
  return (
    <span className="mensagem-actions">
      <button type="button" data-testid="react-button" aria-label="Reagir" onClick={() => setPicking(!picking)}>
        ☺
      </button>
      {picking && (
        <span className="reaction-picker" data-testid="reaction-picker">
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              data-testid="reaction-option"
              aria-pressed={emoji === current}
              onClick={() => {
                // the same emoji again takes the empresa's reaction back
                sendCommand({ command: 'react', conversaId, mensagemId, emoji: emoji === current ? '' : emoji });
                setPicking(false);
              }}
            >
              {emoji}
            </button>
          ))}
        </span>
      )}
      {mensagem.fromMe && !confirming && (
        <button type="button" data-testid="delete-button" onClick={() => setConfirming(true)}>
          Apagar para todos
        </button>
      )}
      {mensagem.fromMe && confirming && (
        <>
          <button
            type="button"
            data-testid="delete-confirm"
            onClick={() => {
              sendCommand({ command: 'delete', conversaId, mensagemId });
              setConfirming(false);
            }}
          >
            Confirmar: apagar para todos
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancelar
          </button>
        </>
      )}
    </span>
  );
}

export function typingText(users: readonly TypingUser[]): string {
  const names = users.map((user) => (user.who === 'cliente' ? 'Cliente' : (user.name ?? user.userId ?? 'Atendente')));
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} está digitando…`;
  return `${names.slice(0, -1).join(', ')} e ${names.at(-1)} estão digitando…`;
}

function Reply({ conversaId, closed }: { conversaId: string; closed: boolean }) {
  const { typingUsers, isConnected, sendTypingIndicator, notifyNewMessage } = useConversationRealtime(conversaId);
  const pending = usePendingReplies(conversaId);
  const [text, setText] = useState('');
  const send = () => {
    const trimmed = text.trim();
    if (trimmed === '') return;
    const commandId = randomUuid();
    pending.track({ commandId, text: trimmed }, notifyNewMessage(trimmed, { commandId }));
    setText('');
  };
  return (
    <footer className="reply">
      <p className="typing" data-testid="typing-indicator" aria-live="polite">
        {typingText(typingUsers)}
      </p>
      {pending.replies.length > 0 && (
        <ul className="pending" data-testid="pending-replies">
          {pending.replies.map((reply) => (
            <li key={reply.commandId} data-testid="pending-reply" data-command-id={reply.commandId} className={reply.failure ? 'failed' : ''}>
              <span className="text">{reply.text}</span>{' '}
              {reply.failure ? (
                <>
                  <span className="error">Não enviada: {reply.failure}</span>{' '}
                  <button type="button" onClick={() => pending.dismiss(reply.commandId)}>
                    Descartar
                  </button>
                </>
              ) : (
                <span className="hint">{isConnected ? 'enviando…' : 'aguardando conexão — será enviada ao reconectar'}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <textarea
          data-testid="reply-box"
          aria-label="Resposta"
          placeholder={closed ? 'Conversa encerrada: reabra para responder' : 'Escreva uma resposta…'}
          disabled={closed}
          rows={2}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            sendTypingIndicator(e.target.value !== '');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" data-testid="send-button" disabled={closed || text.trim() === ''}>
          Enviar
        </button>
      </form>
    </footer>
  );
}
