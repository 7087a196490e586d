"""Citizen-facing text owned by the edge (the dialog's own wording lives in
dialogs/messages.py)."""

SYSTEM_BUSY = "系统繁忙，请稍后再试。情况紧急请直接拨打 12345 热线。"
LATE_REPLY_PREFIX = ""
