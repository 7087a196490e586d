"""Console text shown to staff after an action (templates hold the page text)."""

ACTION_DONE = {
    "dispatch": "已派单。",
    "category": "类别已修改，已记入模型纠错数据。",
    "urgency": "紧急程度已调整，办理时限已重新计算。",
    "accept": "已受理。",
    "reply": "答复已提交，将推送给市民。",
    "transfer": "已退回派单队列。",
}

FLAGS = {"overdue": "超期", "due_soon": "临期", "supervised": "督办"}

BULK_NOT_FOUND = "没有这件诉求，或不在您的办理范围内。"
FOLLOW_UP_DONE = "已记录电话回访，该条已移出列表。"
KB_SAVED = "知识库条目已保存，咨询回答即时生效。"
KB_DELETED = "知识库条目已删除。"
KB_INVALID = "问题和答案都不能为空，编号只能用字母、数字和短横线。"
MODEL_ACTIVATED = "已启用模型版本 {version}，各实例将在一个巡检周期内切换。"
MODEL_ROLLED_BACK = "已回滚到模型版本 {version}。"
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
ACCOUNT_CREATED = "账号 {name} 已创建。API 令牌只显示这一次，请妥善保存："
ACCOUNT_EXISTS = "账号 {name} 已存在。"
ACCOUNT_INVALID = (
    "账号名须为 2–32 位字母、数字、下划线或短横线；部门账号须选择部门；密码至少 8 位。"
)
ACCOUNT_UNLOCKED = "账号 {name} 已解锁。"
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
    "supplement": "补充材料", "recategorise": "更正类别", "adjust": "调整时限",
}  # fmt: skip
STATUS_SHORT = {
    "": "—", "submitted": "待派单", "dispatched": "已派单", "accepted": "办理中",
    "replied": "已答复", "closed": "已办结", "withdrawn": "已撤回",
}  # fmt: skip
CHANNEL_LABELS = {"wechat": "微信公众号", "open311": "开放接口（Open311）"}
ACTOR_LABELS = {"citizen": "市民", "system": "系统"}
