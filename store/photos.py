"""Citizens' photos in GridFS: fetched as soon as they arrive, because WeChat's
media ids expire after three days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId
from bson.errors import InvalidId
from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase


@dataclass(frozen=True, slots=True)
class Photo:
    id: str
    content: bytes
    content_type: str


class PhotoStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self._bucket = AsyncGridFSBucket(db, bucket_name="photos")
        self._files = db["photos.files"]

    async def ensure_indexes(self) -> None:
        await self._files.create_index("metadata.media_id")

    async def put(
        self, content: bytes, content_type: str, *, openid: str, media_id: str, now: datetime
    ) -> str:
        # One media id is one photo: a retried fetch must not store it twice.
        existing = await self._files.find_one({"metadata.media_id": media_id})
        if existing is not None:
            return str(existing["_id"])
        file_id = await self._bucket.upload_from_stream(
            media_id,
            content,
            metadata={
                "content_type": content_type,
                "openid": openid,
                "media_id": media_id,
                "at": now,
            },
        )
        return str(file_id)

    async def get(self, photo_id: str) -> Photo | None:
        try:
            stream = await self._bucket.open_download_stream(ObjectId(photo_id))
        except (InvalidId, NoFile):
            return None
        content = await stream.read()
        metadata = stream.metadata or {}
        return Photo(photo_id, content, metadata.get("content_type", "image/jpeg"))
