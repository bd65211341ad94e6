-- This device's state of a queued media message (the file being sent, the server's id of its
-- unfinished upload) moves out of the media object, which is what goes on the wire (issue 15).
ALTER TABLE outbox ADD COLUMN local_path TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN upload_id TEXT NOT NULL DEFAULT '';
UPDATE outbox SET local_path = COALESCE(json_extract(media, '$.local_path'), ''),
                  upload_id = COALESCE(json_extract(media, '$.upload_id'), ''),
                  media = json_remove(media, '$.local_path', '$.upload_id')
    WHERE media IS NOT NULL AND json_valid(media);
