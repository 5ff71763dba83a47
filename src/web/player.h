/* player.h: the film on its work page: the access copy in an HTML5 video
 * with its poster and one subtitle track per language, the transcript
 * beside it (each line a link to its moment), the contact sheet's frames
 * as links to theirs, and ?t=SECONDS to open at a moment.
 *
 * Everything works without JavaScript: a line or a frame is a link to
 * ?t=SECONDS#player, and the page for ?t= asks the browser for the video
 * from that second (a media fragment, /media/ID#t=S). /static/player.js
 * adds what needs a script: seeking without reloading, #t= links, and the
 * transcript following the film. */
#ifndef CINEMATECA_PLAYER_H
#define CINEMATECA_PLAYER_H

struct req;
struct files;

/* player_section writes the player for a record rq's principal may read,
 * or nothing when it has no readable video and no transcript. fl is the
 * record's files as files_load read them (only those the principal may
 * read); the subtitle tracks and lines are asked of files_q, which asks
 * the policy too. */
void player_section(struct req *rq, const char *record_id, const struct files *fl);

/* player_parse_t reads a moment given as ?t=: seconds with an optional
 * fraction ("192", "192.5"), or h:mm:ss / mm:ss ("3:12"). Returns it in
 * ms, or -1 when malformed or past 100 hours. */
long long player_parse_t(const char *s);

#endif
