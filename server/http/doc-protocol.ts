/**
 * The shared-buffer socket at /ws/doc/:buffer: binary frames, each a
 * y-protocols message led by a varuint type. 0 and 1 are y-protocols' own
 * (sync, awareness); 3 and 4 are ours, server to client only. Shared by the
 * server (http/rooms.ts) and the editor (web/net/shared.ts).
 * @module
 */
export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
/** varuint n: the first n document updates this connection sent are on disk (fsynced). */
export const MSG_ACK = 3;
/** varstring: an update was refused (a view token, a malformed update, a failed save); it was not applied. */
export const MSG_REFUSED = 4;

/** The Y.Text every shared buffer's document keeps its code in. */
export const TEXT_NAME = "code";
