"""Console text shown to staff: results of actions, why an action was refused, error
pages, and labels for stored codes (templates hold the rest of the page text)."""

ACTION_DONE = {
    "dispatch": "已派单。",
    "category": "类别已修改，已记入模型纠错数据。",
    "urgency": "紧急程度已调整，办理时限已重新计算。",
    "accept": "已受理。",
    "reply": "答复已提交，将推送给市民。",
    "ask": "问题已发送给市民，市民的回复会作为补充材料记入办理记录。",
    "transfer": "已退回派单队列。",
}

FLAGS = {"overdue": "超期", "due_soon": "临期", "supervised": "督办"}

BULK_NOT_FOUND = "没有这件诉求，或不在您的办理范围内。"
BULK_HANDED_BACK = "{department}在本轮已退回过这件诉求，未派单；如仍要派给它，请在诉求页面确认。"
FOLLOW_UP_DONE = "已记录电话回访，该条已移出列表。"
# a phone survey call (电话回访): the citizen's verdict taken down, or no answer
PHONE_RATED_CLOSED = "已记录电话回访（{verdict}），工单 {no} 已办结。"
PHONE_RATED_REOPENED = (
    "已记录电话回访（{verdict}），工单 {no} 已重新派回{department}办理（第 {round} 轮，督办）。"
)
FOLLOW_UP_UNREACHED = "已记录本次电话未接通，该条已移出列表。"
UNREACHED_SURVEY = "市民未评价的诉求在回访 7 天后自动办结。"
UNREACHED_ANSWER = "满意度回访电话到时会再列出，届时可再联系市民。"
PHONE_RATING_INCOMPLETE = "请选择满意度；电话没有打通请选择“未接通”。"
PHONE_UNREACHED_RATED = "选择了“未接通”就不能同时记录满意度，请重新选择。"
PHONE_NOT_A_SURVEY = "这条消息不是答复或满意度回访，不能记录评价。"
PHONE_RATED_BY_CITIZEN = (
    "市民已于 {at} 在微信中评价了这件诉求（{verdict}），无需电话回访，未重复记录。"
)
PHONE_RATED_BY_STAFF = "{actor} 已于 {at} 记录了这件诉求的电话回访（{verdict}），未重复记录。"
PHONE_NOT_RATABLE = "这件诉求现在{state}，不再等待第 {round} 轮的评价，未记录。"
KB_SAVED = "知识库条目已保存，咨询回答即时生效。"
KB_DELETED = "知识库条目已删除。"
KB_INVALID = "问题和答案都不能为空，编号只能用字母、数字和短横线。"
KB_TOO_LONG = (
    "答案太长，一条微信消息放不下，市民会收不到。请删减 {chars} 个字后再保存"
    "（全文可放在网上，在答案里给出链接）。"
)
MODEL_ACTIVATED = "已启用模型版本 {version}，各实例将在一个巡检周期内切换。"
MODEL_ROLLED_BACK = "已回滚到模型版本 {version}。"
MODEL_NO_VERSION = "没有模型版本 {version}。"
MODEL_NO_ROLLBACK = "没有更早启用过的版本，无法回滚。"
MODEL_ALREADY_ACTIVE = "模型版本 {version} 已在使用中。"
MODEL_CHANGED = "使用中的模型刚被其他人更改，请查看后再操作。"
MODEL_TAXONOMY = "未启用 {version}：它的类别与分类体系不一致（{problems}），启用后诉求会派错部门。"
MODEL_MISSING = "缺少 {names}"
MODEL_UNKNOWN = "多出 {names}"
MODEL_QUALITY = (
    "未启用 {version}：它的交叉验证 Macro-F1 为 {f1:.3f}，比使用中的 {active}（{active_f1:.3f}）"
    "低 {drop:.3f}，超过 {limit} 的容差，启用后分类可能明显变差。"
)
MODEL_UNREADABLE = "未启用 {version}：无法读取它的类别，模型文件可能已损坏。"
MODEL_TRAINING = "已开始训练，完成后会出现在版本列表中。"
TRAINING_BUSY = "已有训练任务在进行，请等它完成后再开始新的训练。"
JOB_STATE_LABELS = {"queued": "排队中", "running": "训练中", "done": "已完成", "failed": "失败"}
# the training job's stage (English in the API) as the console shows it
JOB_STAGE_LABELS = {
    "queued": "排队中",
    "fitting the final model": "拟合最终模型",
    "registering": "登记新版本",
    "done": "完成",
}
JOB_STAGE_FOLD = "交叉验证 第 {fold} 折"
JOB_STAGE_DATA = "准备数据：内置语料 + {count} 条派单更正"
JOB_INTERRUPTED = "运行它的实例中途停止，训练未完成，可重新开始。"
JOB_NOT_ACTIVATED = "类别与分类体系不一致，未自动启用"
JOB_NOT_ACTIVATED_QUALITY = "交叉验证得分明显低于使用中的版本，未自动启用"
ACCOUNT_CREATED = "账号 {name} 已创建。API 令牌只显示这一次，请妥善保存："
ACCOUNT_EXISTS = "账号 {name} 已存在。"
ACCOUNT_NAME_LENGTH = "账号名须为 2–32 个字符，现在是 {count} 个。"
ACCOUNT_NAME_CHARACTERS = "账号名只能用英文字母、数字、下划线或短横线，不能有空格、斜杠或汉字。"
ACCOUNT_DEPARTMENT_REQUIRED = "承办部门账号须选择所属部门。"
PASSWORD_TOO_SHORT = "密码至少 {minimum} 位，现在只有 {count} 位。"
ACCOUNT_ROLE_REQUIRED = "请选择账号的角色。"
ACCOUNT_DEPARTMENT_ROLE_ONLY = (
    "只有承办部门账号属于某个部门：{role}账号请不要选择部门；如要建部门账号，请把角色选为承办部门。"
)
ACCOUNT_UNLOCKED = "账号 {name} 已解锁。"
ACCOUNT_DISABLED = "账号 {name} 已停用：它的令牌和密码都不能再使用，已登录的工作台也已退出。"
ACCOUNT_ENABLED = "账号 {name} 已启用。"
ACCOUNT_SELF = "不能停用自己正在使用的账号。"
TOKEN_RESET = "账号 {name} 的 API 令牌已重置，旧令牌立即失效。新令牌只显示这一次，请妥善保存："
PASSWORD_SET = "账号 {name} 的密码已重设，其已登录的会话均已退出。"

URGENCY_LABELS = {
    "normal": "一般（7 天）",
    "complex": "复杂（15 天）",
    "utility": "水电气热（24 小时）",
    "danger": "紧急险情（2 小时）",
}
ACTION_LABELS = {
    "submit": "登记", "dispatch": "派单", "accept": "受理", "reply": "答复",
    "transfer": "退回", "close": "办结", "reopen": "重办", "withdraw": "撤回",
    "supplement": "补充材料", "ask": "向市民提问", "recategorise": "更正类别", "adjust": "调整时限",
}  # fmt: skip
STATUS_SHORT = {
    "": "—", "submitted": "待派单", "dispatched": "已派单", "accepted": "办理中",
    "replied": "已答复", "closed": "已办结", "withdrawn": "已撤回",
}  # fmt: skip
CHANNEL_LABELS = {"wechat": "微信公众号", "open311": "开放接口（Open311）"}
ACTOR_LABELS = {"citizen": "市民", "system": "系统"}

# ---- why an action was refused (the domain and staff_actions speak English) ----------
# A state transition the complaint's status does not allow: keyed on (action, status).
STATUS_NOW = {
    "submitted": "正在等待派单", "dispatched": "已派单、尚未受理", "accepted": "已受理、正在办理",
    "replied": "已经答复", "closed": "已经办结", "withdrawn": "已由市民撤回",
}  # fmt: skip
DISPATCHED_MEANWHILE = (
    "这件诉求刚刚已由 {actor} 派至{department}，本次派单未执行。如需改派，请在下方重新选择。"
)
HANDED_BACK_MEANWHILE = "这件诉求刚刚被 {actor} 退回派单队列，本次派单未执行。请核对后重新派单。"
DISPATCH_BACK = (
    "{department}已于 {at} 由 {actor} 退回这件诉求（理由：{reason}），本次派单未执行。"
    "如核实后仍应由该部门办理，请点“仍然派至{department}”。"
)
MOVED_TITLE = "诉求已转出本部门"
MOVED_BACK = "{actor} 已于 {at} 将该诉求退回派单，您的{what}未提交。"
MOVED_ELSEWHERE = "{actor} 已于 {at} 将该诉求改派至{department}，您的{what}未提交。"
ANOTHER_DEPARTMENT = "其他部门"
# what staff typed into a form that was not carried out (the case left the department, a
# colleague answered first, the login ran out), shown to copy; the labels by the form's
# field, some by action
TYPED_FIELDS = {"text": "答复内容", "attachments": "附件链接", "reason": "理由",
                "question": "问题", "answer": "答案"}  # fmt: skip
TYPED_FIELDS_FOR = {"ask": {"text": "提问内容"}}
NOT_NOW = "这件诉求{state}，现在不能{action}。请刷新页面查看最新状态。"
NOT_NOW_SPECIAL = {
    ("accept", "accepted"): "这件诉求已经受理，无需重复受理。",
    ("accept", "replied"): "这件诉求已经答复，无需再受理。",
    ("reply", "replied"): "这件诉求已经答复过，不能重复答复。市民如不满意，会重新派回办理。",
    ("dispatch", "accepted"): "承办部门已受理这件诉求，不能再改派；如不属其职责，请部门退回。",
    ("transfer", "submitted"): "这件诉求已在派单队列中，无需退回。",
}  # fmt: skip
# The same, naming who did it and when (the latest history event that set the status)
NOT_NOW_BY = "这件诉求{state}（{actor} 于 {at} {done}），现在不能{action}。请刷新页面查看最新状态。"
NOT_NOW_BY_SPECIAL = {
    ("accept", "accepted"): "这件诉求已由 {actor} 于 {at} 受理，无需重复受理。",
    ("accept", "replied"): "这件诉求已由 {actor} 于 {at} 答复，无需再受理。",
    ("reply", "replied"): (
        "这件诉求已由 {actor} 于 {at} 答复，不能重复答复。市民如不满意，会重新派回办理。"
    ),
    ("dispatch", "accepted"): (
        "承办部门的 {actor} 已于 {at} 受理这件诉求，不能再改派；如不属其职责，请部门退回。"
    ),
    ("transfer", "submitted"): "这件诉求已由 {actor} 于 {at} 退回派单队列，无需再退回。",
}
# The console's actions (bot.staff_actions.ACTIONS names) as a verb in a sentence
ACTION_VERBS = {
    "dispatch": "派单", "category": "更正类别", "urgency": "调整紧急程度", "accept": "受理",
    "reply": "答复", "transfer": "退回派单", "recategorise": "更正类别", "adjust": "调整紧急程度",
    "close": "办结", "reopen": "重办", "withdraw": "撤回", "supplement": "补充材料",
    "ask": "向市民提问",
}  # fmt: skip
NO_SUCH_ACTION = "没有这项操作，请从页面上的按钮办理。"
ROLE_REFUSED = "您的角色不能进行“{action}”操作。"
FIELD_REQUIRED = {
    "text": "请填写答复内容。",
    "ask": "请填写要问市民的问题。",
    "reason": "请填写退回理由。",
    "department": "请选择承办部门。",
    "category": "请选择类别。",
    "urgency": "请选择紧急程度。",
}
# staff_actions' "no_content": only punctuation, digits, spaces or invisible characters
NO_CONTENT = {
    "ask": "问题没有实际文字（只有标点、数字或看不见的字符），市民看不懂要补充什么。"
    "请至少写 {letters} 个字再发送。",
    "text": "答复内容没有实际文字（只有标点、数字或看不见的字符），市民看不到任何答复。"
    "请至少写 {letters} 个字再提交。",
    "reason": "退回理由没有实际文字（只有标点、数字或看不见的字符）。"
    "请至少写 {letters} 个字说明为什么退回。",
}
FIELD_INVALID = {
    # a non-empty reason is refused only for its length (staff_actions.MAX_REASON_CHARS)
    "reason": "退回理由太长，最多 500 个字，请精简后再提交。",
    "department": "没有这个承办部门，请从列表中选择。",
    "category": "这个类别不在可选范围内，请从列表中选择。",
    "urgency": "没有这个紧急程度，请从列表中选择。",
}
IN_HAND_LABEL = "待办（待受理与办理中）"
# a department's name for a case dispatched to it and not yet accepted: its next step
DEPARTMENT_DISPATCHED = "待受理"
# a list URL whose filter the console cannot apply (a hand-edited or old link)
FILTER_INVALID = "筛选条件无效：{what}。下面没有列出任何诉求，请在上方重新选择。"
FILTER_BAD_STATUS = "没有“{values}”这种状态"
FILTER_BAD_FLAG = "“{name}”只能是 true 或 false"
FILTER_OTHER = "地址中的条件有误"
# the strip of counts over a department's list (its home page)
SUMMARY_LABELS = {"dispatched": "待受理", "accepted": "办理中", "due_soon": "临期",
                  "overdue": "超期", "supervised": "督办"}  # fmt: skip
OPEN_LIST_TITLE = "待办诉求（按办理时限排序）"
BAD_ATTACHMENTS = "附件请每行填写一个：名称 网址（以 https:// 或 http:// 开头），最多 9 个。"
REPLY_TOO_LONG = (
    "答复太长，一条微信消息放不下，市民会收不到。请删减 {chars} 个字后再提交"
    "（全文可放在网上，以附件链接发送）。"
)
QUESTION_TOO_LONG = "问题太长，一条微信消息放不下，市民会收不到。请删减 {chars} 个字后再发送。"
ACTION_FAILED = "这项操作没有完成，请刷新页面查看最新状态后再试。"
REASON_TOO_LONG = "{what}太长，最多 {limit} 个字，请删减 {chars} 个字后再提交。"
REASON_NAMES = {"transfer": "退回理由", "dispatch": "派单说明"}

# ---- error pages ----------------------------------------------------------------------
ERROR_TITLES = {400: "请求有误", 403: "无权访问", 404: "未找到", 409: "操作冲突"}
COMPLAINT_NOT_FOUND = "没有编号为 {no} 的诉求，或不在您的办理范围内。"
FOLLOW_UP_GONE = "这条回访已处理或不存在。"
ACCOUNT_NOT_FOUND = "没有这个账号。"
KB_NOT_FOUND = "没有这个知识库条目。"
PHOTO_NOT_FOUND = "没有这张照片。"
OPENID_ADMIN_ONLY = "只有管理员可以按市民（openid）查询诉求。"
TOO_LARGE_TITLE = "内容太长"
TOO_LARGE = (
    "提交的内容太长，没有保存。答复市民须放得进一条微信消息（约 600 个汉字），"
    "全文较长时请放在网上，以附件链接发送。请用浏览器的“返回”回到上一页，删减后再提交"
    "（已输入的文字通常还在）。"
)
PAGE_NOT_FOUND = "没有这个页面，可能是地址有误或链接已过期。"
DASHBOARD_TABLE = "没有这张统计表，请从统计页面的导出链接下载。"
DASHBOARD_BAD_DATE = "{name} 须为 年-月-日 格式的日期，如 2026-11-01"
DASHBOARD_BOTH = "请只选一种：近若干天（days），或起止日期（start 和 end）"
DASHBOARD_REVERSED = "结束日期早于开始日期"
DASHBOARD_FUTURE = "结束日期晚于今天（北京时间）"
DASHBOARD_TOO_LONG = "起止日期最多相隔 {days} 天"
DASHBOARD_BAD_DAYS = "时间范围只能选 {choices} 天"
DASHBOARD_FALLBACK = "时间范围无效：{reason}。下面显示的是{label}。"

# ---- what was pushed to the citizen, on a complaint's page ---------------------------
PUSH_STATES = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已送达",
    "skipped": "无需发送",
    "undeliverable": "微信无法送达，待电话回访",
    "failed": "微信无法送达，待电话回访",
    "called": "已电话告知",
}

# ---- phone follow-ups: why WeChat did not deliver (WeChat's errcode) -----------------
UNDELIVERED = {
    45015: "超过 48 小时未互动，无法主动推送",
    43004: "用户已取消关注",
    45002: "内容超过微信单条消息长度",
}
UNDELIVERED_OTHER = "推送失败"
NO_WECHAT = "市民经电话或其他渠道反映，没有微信，请电话告知"

# ---- model registry -------------------------------------------------------------------
MODEL_CREATORS = {"system (default)": "系统（内置语料）", "system": "系统"}
DATA_SOURCES = {"store corrections": "派单员更正的诉求"}

# ---- audit log objects ----------------------------------------------------------------
AUDIT_EXPORTS = {"complaints": "诉求列表", "queue": "待派单", "overdue": "超期与临期"}
AUDIT_EXPORT = "{what}，{count} 条"
AUDIT_COMPLAINT = "工单 {no}"
AUDIT_ACCOUNT = "账号 {name}"
AUDIT_CITIZEN = "市民 {openid}"
AUDIT_MODEL = "模型版本 {version}"
AUDIT_KNOWLEDGE = "知识库条目 {id}"
# an admin's list read through the API: its query string and the rows it returned
AUDIT_LIST = "条件 {query}，{count} 条"
AUDIT_LIST_ALL = "（无）"
# an outbox push (its dedupe key "kind:no:round[:department]") as a phone follow-up read
PUSH_KINDS = {
    "dispatched": "派单通知", "accepted": "受理通知", "reply": "答复", "survey": "满意度回访",
    "survey-reminder": "回访提醒", "overdue": "超期致歉", "extended": "延期通知",
    "ask": "向市民提问",
}  # fmt: skip
AUDIT_PUSH = "工单 {no} 第 {round} 轮的{kind}"
