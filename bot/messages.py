"""Text the platform pushes to citizens (the dialog's own replies live in dialogs/messages.py)."""

DISPATCHED = "您的诉求 {no} 已转交{department}办理，请耐心等待答复。"
ACCEPTED = "{department}已受理您的诉求 {no}，正在办理中。"
REPLY = (
    "【诉求答复】工单 {no}\n"
    "承办部门：{department}\n"
    "答复：{text}{attachments}\n"
    "稍后会请您评价办理结果，也可以现在直接回复：1 满意  2 基本满意  3 不满意（可附原因）。"
)
ATTACHMENT = "\n附件：{name} {url}"
# a department's question while it handles the case: the answer goes onto the ticket
ASKED = (
    "【工单 {no} 补充询问】\n"
    "承办部门：{department}\n"
    "{text}\n"
    "请直接回复文字或照片，会补充到这件诉求；也可以发送“补充 {no} 内容”。"
)
SURVEY = (
    "【满意度回访】工单 {no}（{about}）：您的问题解决了吗？对办理结果满意吗？请回复：\n"
    "1 满意  2 基本满意  3 不满意\n"
    "也可以直接说“解决了”或“没解决”，或说明原因。"
)
SURVEY_REMINDER = (
    "【回访提醒】工单 {no}（{about}）还没有收到您的评价，回复 1 满意、2 基本满意、3 不满意即可。"
)
EXTENDED = "您的诉求 {no} 经核实需要更多办理时间，答复期限调整为 {due}，请您谅解。"
OVERDUE = "抱歉，您的诉求 {no} 已超过答复期限，我们已督促{department}尽快办理。"
