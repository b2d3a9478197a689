/*
 * wire_chan.h: the shared-memory call channel of a unix-socket connection
 * (doc/protocol.md, "The call channel").
 *
 * The server creates the channel (a sealed memfd) when the client asks
 * with a CHANNEL frame and passes it in the reply.  One call at a time
 * uses it: the client writes a SYSCALL frame into the request area and
 * flips the state word to the server's turn; the server copies the frame
 * out, runs it, writes the SYSCALL_REPLY frame into the reply area (or, if
 * it does not fit, sends it on the socket) and flips the word back.  The
 * side that waits for its turn sleeps on the state word with FUTEX_WAIT
 * and says so with the SLEEP bit, so the other side wakes it only then.
 *
 * Both ends are on one host, so the state word is in host byte order;
 * the frames in the areas are ordinary (little-endian) frames.
 */
#ifndef WIRE_WIRE_CHAN_H
#define WIRE_WIRE_CHAN_H

#include <stdint.h>

#define WIRE_CHAN_MAGIC		0x31484352u	/* "RCH1" */
#define WIRE_CHAN_SIZE		(136u << 10)
#define WIRE_CHAN_STATE_OFF	0u		/* u32 state word */
#define WIRE_CHAN_MAGIC_OFF	4u		/* u32 WIRE_CHAN_MAGIC */
#define WIRE_CHAN_REQ_OFF	4096u		/* request frame */
#define WIRE_CHAN_REQ_MAX	(64u << 10)
#define WIRE_CHAN_REP_OFF	(WIRE_CHAN_REQ_OFF + WIRE_CHAN_REQ_MAX)
#define WIRE_CHAN_REP_MAX	(WIRE_CHAN_SIZE - WIRE_CHAN_REP_OFF)

/* State word bits. */
#define WIRE_CHAN_SERVER	0x1u	/* a request is posted: server's turn */
#define WIRE_CHAN_SLEEP		0x2u	/* whoever waits for its turn sleeps */
#define WIRE_CHAN_SOCKET	0x4u	/* the reply went on the socket */
#define WIRE_CHAN_CLOSED	0x8u	/* the channel is out of use */

/* The state word of a mapped channel. */
static inline uint32_t *
wire_chan_state(void *base)
{
	return (uint32_t *)((char *)base + WIRE_CHAN_STATE_OFF);
}

#endif /* WIRE_WIRE_CHAN_H */
