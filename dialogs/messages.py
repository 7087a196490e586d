"""Everything the bot says to citizens, in one place.

Short enough for a phone screen, polite, plain Simplified Chinese. Values are
filled with str.format; keep the placeholders when rewording.
"""

WELCOME = (
    "您好，欢迎关注 12345 市民服务热线！\n"
    "您可以直接发文字、语音、照片或位置反映问题，我们会登记并转给承办部门办理。\n"
    "回复“帮助”查看更多用法。紧急情况请拨打 110、119、120。"
)
WELCOME_SCENE = "（来自：{scene}）"
WELCOME_BACK = "欢迎回来！有什么可以帮您？直接描述您遇到的问题即可。"
HELP = (
    "我可以帮您：\n"
    "1. 反映问题：直接描述，如“朝阳区某小区路灯坏了”\n"
    "2. 查询进度：发送工单编号，如“查询 20261128-0042”\n"
    "3. 我的诉求：回复“我的诉求”\n"
    "4. 补充材料：回复“补充 编号 内容”\n"
    "5. 撤回诉求：回复“撤回 编号”\n"
    "6. 政策咨询：直接提问，如“多久能回复？”\n"
    "也可拨打 12345 热线人工服务。"
)
GREETING = "您好！我是 12345 热线小助手。请直接描述您遇到的问题，或回复“帮助”查看用法。"
THANKS = "不客气，祝您生活愉快！有问题随时找我们。"
BLANK = "没有收到文字内容。请描述您遇到的问题，或回复“帮助”。"
# A message in English (or another Latin script): this chat reads Chinese only; the
# hotline's phone line has a foreign-language service. Bilingual on purpose.
LATIN_ONLY = (
    "Sorry, this chat understands Chinese only. For help in English, please call 12345 "
    "(foreign-language service). To check a ticket, send its number, e.g. 20261128-0042.\n"
    "抱歉，本服务目前只能识别中文。如需英语服务，请拨打 12345。"
)
# ...at a form question, with the way out
LATIN_ONLY_IN_FORM = (
    "Sorry, this chat understands Chinese only: please answer in Chinese, or reply 取消 "
    "to stop and call 12345 (foreign-language service)."
)
TRUNCATED = (
    "您的消息过长，只保留了前 {limit} 字。"
    "其余内容请分几条发送，每条以“补充”开头，如“补充 晚上十点后更吵”。"
)
VOICE_UNRECOGNISED = "抱歉，没能识别这段语音，请改用文字描述。"
UNSUPPORTED = "暂时无法处理这类消息，请用文字、语音、照片或位置来反映问题。"
# a video (often of noise) or a link: what to send instead
VIDEO_UNSUPPORTED = "暂不支持视频，可以截几张图片发来，或用文字说明情况。"
LINK_UNSUPPORTED = "暂不支持打开链接，请用文字说明情况，或截图发来。"
# safety first: sent before anything else when a message describes immediate danger
EMERGENCY = {
    "fire": "【紧急】如遇火情，请立即撤离到安全地方，并马上拨打 119。",
    "gas": (
        "【紧急】闻到燃气味请立即离开，不要开关电灯电器、不要用明火，"
        "到室外安全处拨打 119 或北京燃气抢修电话 96777。"
    ),
    "violence": "【紧急】请先远离现场、保护好自己，并立即拨打 110 报警。",
    "electric": "【紧急】请远离漏电处，不要徒手拉触电的人，先断开电源；有人受伤请拨打 120，情况危险请拨打 110。",
    "collapse": "【紧急】请立即远离坍塌处并提醒周围的人；有人受伤或被困，请马上拨打 119、120。",
    "injury": "【紧急】有人受伤或有生命危险，请立即拨打 120 急救；有人落水或遇险请同时拨打 110。",
    "manhole": (
        "【紧急】井盖缺失或破损很危险，请远离并提醒行人、车辆绕开；"
        "在确保自身安全的前提下，可在旁边放显眼的东西作警示。"
        "如有人掉进去，不要贸然下井救人，请立即拨打 120、119。"
    ),
    # a missing person who cannot look after themselves: the police search at once
    "missing": (
        "【紧急】有人走失或被拐请立即拨打 110 报警，说清样貌、衣着和最后出现的地方，"
        "并请家人邻居帮忙寻找；遇到走失的老人或孩子，请陪着他等民警来。"
    ),
    # no 【紧急】 tag: warm first, then where to turn (for oneself or someone else)
    "self_harm": (
        "您不是一个人，我们很在意您的安全。如果您或身边的人现在有危险，请马上拨打 110 或 120。"
        "想找人说说话，可以拨打北京心理危机研究与干预中心 010-82951332（24 小时），"
        "或心理援助热线 12356。"
    ),
    "carbon_monoxide": (
        "【紧急】疑似煤气（一氧化碳）中毒：马上打开门窗通风，把人移到空气新鲜的地方，"
        "立即拨打 120；不要开关电器、不要用明火。闻到燃气味可拨打燃气抢修电话 96777。"
    ),
    "poison": "【紧急】有人中毒请立即拨打 120，并留好吃过、喝过的东西或药瓶，交给医生。",
    "burst_pipe": (
        "【紧急】管道爆裂请远离喷出的热水和蒸汽，当心烫伤和漏电；能安全够到的话先关上进户总阀门，"
        "并马上联系物业或供暖、自来水公司抢修。有人烫伤请拨打 120。"
    ),
    # "救命" alone, or someone heard crying for help
    "help": "【紧急】如果您或身边的人正遇到危险，请立即拨打 110 报警；有人受伤或病重请拨打 120。",
    # the reporter may be the one shut in, or outside ("我妈被关在里面")
    "lift": (
        "【紧急】被困的人请保持冷静，按电梯里的警铃或用对讲电话呼救，不要强行扒门；"
        "在外面的请马上联系物业或电梯维保，不要自行撬门。无人应答请拨打 119。"
    ),
}
# never "wait for us": the emergency services come first, the hotline follows up
EMERGENCY_THEN = (
    "请先拨打上面的电话求助，不要等这里的回复。"
    "需要登记的话请接着回答，危及安全的诉求我们 2 小时内跟进。"
)
# the same, said of an answer that is not the problem description (the time limit
# is read from the description, so no limit is promised)
EMERGENCY_THEN_NO_LIMIT = "请先拨打上面的电话求助，不要等这里的回复。需要登记的话请接着回答。"
# after the crisis lines no form is pushed: registering is theirs to ask for
SELF_HARM_THEN = "如果是遇到了难处，想请政府部门帮忙，随时告诉我。"
SELF_HARM_OFFER = "您说的“{short}”，需要的话回复“登记”，我帮您转给相关部门。"
SELF_HARM_AGAIN = (
    "您的话我都看到了。有危险请马上拨打 110 或 120；"
    "想找人说说话，请拨打 010-82951332（24 小时）或 12356。"
)
# after a bare "救命"
CRY_THEN = "能回复的话，请告诉我发生了什么、在哪里。"
# the same danger told again within minutes, or "有人吗" after the advice
EMERGENCY_NOTED = "已记下，不用重复发送。情况危急请直接拨打 110、119 或 120。"
EMERGENCY_REGISTERED = "这件事已登记为工单 {no}，有新情况可回复“补充 {no} ＋内容”。"
EMERGENCY_HEARD = (
    "在的，您说的情况已经记下了。情况危急请直接拨打 110、119 或 120，不用等这里的回复。"
)
SYSTEM_BUSY = "系统繁忙，请稍后再试。情况紧急请直接拨打 12345 热线。"

# complaint form prompts
ASK_DESCRIPTION = "请描述您遇到的问题：发生了什么、持续多久、对您有什么影响。"
ASK_DESCRIPTION_MORE = "已记下：“{partial}”。请再具体说说：在什么地方、持续多久、有什么影响。"
# the same after an emergency: only where it is, as the emergency services come first
ASK_EMERGENCY_WHERE = "已记下：“{partial}”。请告诉我在什么地方，如小区、路名或门牌号。"
ASK_DESCRIPTION_AT = "已记下地点：{place}。请描述一下那里发生了什么问题、持续多久。"
ASK_DESCRIPTION_AFTER_PHOTO = "已收到照片。请再用文字描述一下遇到的问题。"
ASK_LOCATION = "问题发生在哪里？请发送详细地址（如“朝阳区望京西园三区12号楼”），或直接发送位置。"
# a place without a district: asked once, so the complaint reaches that district's office
ASK_DISTRICT = "请问“{place}”在哪个区？如朝阳区、海淀区；不清楚可回复“不清楚”，也可以直接发送位置。"
BAD_DISTRICT = "没认出是哪个区。请回复区名，如“朝阳区”；不清楚可回复“不清楚”。"
DISTRICT_WHICH = "是{districts}？请回复一个区名；不清楚可回复“不清楚”。"
DISTRICT_LEFT_TO_STAFF = "好的，所在区由工作人员核实。"
# a place outside Beijing named at "在哪里？" or "哪个区？": where to go instead, and the
# draft kept for a Beijing place (a mistake, or another problem in Beijing)
OUTSIDE_BEIJING = "北京12345受理北京市内的诉求；{place}的事项请拨打当地的12345热线反映。"
ASK_BEIJING_PLACE = "如果问题发生在北京，请发送具体地址或位置；不在北京可回复“取消”。"
ASK_BEIJING_DISTRICT = "如果在北京，请回复所在的区，如“朝阳区”；不在北京可回复“取消”。"
# a second complaint soon after the first, about "小区里…" or "还是那个地方", names no place
ASK_SAME_PLACE = "还是在 {place} 吗？回复“是”，或发送新地址。"
ASK_NEW_PLACE = "好的，请发送新地址，或直接发送位置。"
ASK_LOCATION_STREET = "已记下{district}。请再告诉我具体的街道、小区或门牌号，也可以直接发送位置。"
ASK_CATEGORY = "这个问题属于【{category}】吗？回复“是”确认；不是的话请回复序号：\n{options}"
ASK_CATEGORY_PICK = "请回复序号选择问题类别（不确定可回复“不知道”，由工作人员分类）：\n{options}"
# the category question again while its list is still a short scroll up
CATEGORY_REMINDER = (
    "这个问题属于【{category}】吗？回复“是”确认，或回复 1-{count} 选其他类别；发“类别”可看列表。"
)
# "啥？", "什么意思" at the category question: what it is for, then the question again
CATEGORY_WHAT = "就是这件事归哪一类管，好转给对应部门。不清楚回复“不知道”，由工作人员来分。"
CATEGORY_REMINDER_PICK = "请回复 1-{count} 选择问题类别，不确定请回复“不知道”；发“类别”可看列表。"
ASK_PHONE = "请留下联系电话，方便承办部门联系您（手机或座机）。不想留请回复“匿名”。"
# the phone given with a complaint of the last 30 days ({masked}: 138****1113)
ASK_PHONE_AGAIN = "还用上次的电话 {masked} 吗？回复“是”，或发送新号码；不想留电话请回复“匿名”。"
# "不是" to it
ASK_NEW_PHONE = "好的，请发送新的电话号码；不想留电话请回复“匿名”。"
ASK_PHOTOS = "如有现场照片，可以直接发送（最多 9 张）；没有请回复“没有”。"
PHOTO_RECEIVED = "已收到第 {count} 张照片。还可以继续发送，发完请回复“好了”。"
ASK_MORE_PHOTOS = "已有您发来的 {count} 张照片。还有要补充的可以继续发送，没有请回复“好了”。"
PHOTO_RECEIVED_LAST = "已收到第 {count} 张照片，照片已满。请回复“好了”继续。"
PHOTO_LIMIT = "最多上传 9 张照片，已为您保留前 9 张。"
PHOTO_FAILED = "照片没能保存，请重新发送一次；不需要照片请回复“没有”。"
SUMMARY = (
    "请核对您的诉求：\n"
    "【问题】{description}\n"
    "【地点】{location}\n"
    "【类别】{category}\n"
    "【电话】{phone}\n"
    "【照片】{photos}{times}{duplicate}{split}\n"
    "确认无误请回复“确认”；需要修改可直接说，如“地址改成……”；回复“取消”放弃。"
)
# the citizen has an open complaint about the same problem: say so before they confirm
SUMMARY_DUPLICATE = (
    "\n您在 {date} 已反映过相同问题（工单 {no}，{status}）。"
    "如有新情况可回复“补充 {no} ＋内容”；确需重新登记请回复“确认”。"
)
# problems in different districts told in one message: each district's office handles its own
SUMMARY_SPLIT = "\n这像是{count}件不同区的事：{parts}。回复“分开”分成{count}件登记，由各区分别办理；回复“确认”则合为一件。"
SPLIT_STARTED = "好的，分成{count}件登记，先登记第一件：“{short}”。"
KEPT_ONE_TICKET = "好的，合为一件登记。"
DUPLICATE_OPEN = "办理中"
DUPLICATE_STATUS = {"replied": "部门已答复"}  # by status value; any other open one: 办理中
DUPLICATE_SUPPLEMENTED = "已将补充内容加入工单 {no}，承办部门可以看到，这次不再重复登记。"
SUMMARY_TIMES = "\n【时间】{times}"
SUMMARY_LASTING = "\n【持续】{lasting}"  # how long, apart from when: "好几天了"
SUMMARY_LONG_DESCRIPTION = "{head}…（共 {count} 字）"
ANONYMOUS = "匿名（不留电话）"
NOT_GIVEN = "未提供"
CATEGORY_BY_STAFF = "由工作人员分类"
ASK_WHAT_TO_CHANGE = "请告诉我要改哪一项，直接说新的内容即可，例如“地址改成……”“电话改成……”“描述改成……”“不是这个类别”。"
NO_PHOTOS = "无"
PHOTO_COUNT = "{count} 张"

# re-prompts for bad answers
BAD_DESCRIPTION = "描述有点简单，承办部门可能无法处理。请补充具体情况，如什么问题、在哪、持续多久。"
BAD_LOCATION = (
    "没能识别地址。请写明区、街道或小区、门牌号，例如“海淀区中关村大街27号”，或发送位置。"
)
LOCATION_SKIP_NOT_YET = (
    "地点暂时不能跳过：承办部门要知道在哪儿，才能到现场处理。"
    "说个大概位置就行，如小区名、路名或附近地标，也可以直接发送位置。"
)
LOCATION_SKIPPED = "好的，地点先空着。承办部门可能需要联系您确认位置，建议留个电话。"
BAD_CATEGORY = "请回复“是”确认，或回复 1-{count} 的序号选择类别。"
BAD_CATEGORY_PICK = "请回复 1-{count} 的序号选择类别。"
BAD_PHONE = (
    "电话号码格式不对。请发送 11 位手机号或带区号的座机号（如 010-62345678），或回复“匿名”。"
)
BAD_PHONE_LENGTH = (
    "收到的号码是 {digits}，共 {count} 位，手机号应为 11 位。请核对后重新发送，或回复“匿名”。"
)
# "好的" to the phone question: the number itself, gently
PHONE_PLEASE = "好的，请直接发送您的电话号码，或回复“匿名”。"
# "我没有手机", "用微信联系我就行" at the phone question
NO_PHONE_PUSHED = "好的，不留电话，办理结果会在公众号推送给您。"
# "保密，别让物业知道是我": then the phone question again
PHONE_CONFIDENTIAL = "请放心，您的电话只给承办部门联系您用，不会告诉被反映方。"
BAD_PHOTOS = "请直接发送照片，发完或没有照片请回复“好了”。"
PHOTOS_NOT_ARRIVED = "还没有收到您的照片，可能没发送成功，请再发一次；不发照片请回复“没有”。"
# "地址没问题" at the summary: that item checked, the rest not said ({item}: as named)
ONE_ITEM_CHECKED = "好的，{item}没问题。其他内容也都对吗？确认无误请回复“确认”提交。"
UNCLEAR_AT_SUMMARY = (
    "没太明白您的意思。要补充内容，请以“补充”开头发送；要修改，如“电话改成……”；"
    "确认无误请回复“确认”提交，回复“放弃”不提交。"
)
TOO_MANY_FAILURES_OPTIONAL = "如果不方便，可以回复“跳过”；也可以拨打 12345 热线由人工为您登记。"
TOO_MANY_FAILURES_SKIPPABLE = (
    "如果说不清楚，可以回复“跳过”，由工作人员电话核实；也可以拨打 12345 热线人工登记。"
)
TOO_MANY_FAILURES = "如果一直无法完成，可以拨打 12345 热线由人工为您登记，或回复“取消”。"
CONFIRM_DROP = "要放弃这次反映吗？回复“放弃”确认，已填的内容不会提交；想继续请直接接着填写。"
DROP_DECLINED = "好的，我们继续。"
# "我再想想" at the summary: nothing is submitted until they say so
HESITATION_KEPT = "好的，内容先为您保留。想好了回复“确认”提交，不想提交请回复“放弃”。"
# a bare "嗯"/"好的" after hesitation or a cancel: it may not mean "submit"
ASK_SUBMIT = "是要提交吗？回复“确认”提交，回复“放弃”不提交。"
CANCELLED = "已取消，本次内容没有提交。如需反映问题，随时直接描述即可。"
NOTHING_TO_CANCEL = "好的。当前没有进行中的登记。"
UPDATED = "已修改。"
# "不是9号楼，是8号楼": the place as it now reads
PLACE_CORRECTED = "好的，地点已改为：{place}。"
NOTED = "已记下。"
KEPT_AS_IT_WAS = "好的，保留原来的内容。"

# timeout / resume
RESUME_OFFER = (
    "您之前有一条未提交的诉求：“{description}”{details}。"
    "回复“继续”接着填写，回复“重新开始”重新登记。"
)
# what else the paused draft holds, in brackets after its description
RESUME_DETAILS = "（{details}）"
RESUME_PLACE = "地点：{place}"
RESUME_CATEGORY = "类别：{category}"
# a paused draft with nothing missing: 继续 shows its summary
RESUME_OFFER_READY = (
    "您之前有一条填好但未提交的诉求：“{description}”{details}。"
    "回复“确认”核对提交，回复“重新开始”重新登记。"
)
RESUMED = "好的，我们继续。"
# "确认" to a summary shown before the pause: shown again, to be confirmed afresh
RESUMED_TO_CONFIRM = "这件诉求还没有提交，确认提交吗？"
RESTARTED = "好的，之前的草稿已放弃。"
RESUMED_WITH_ANSWER = "好的，接着您之前的登记。"
HELD_WHILE_PAUSED = "您刚才发的内容已记下，回复“继续”或“重新开始”后会一并用上。"
PHOTO_HELD = "已收到照片。"
LOCATION_HELD = "已收到位置。"
# a pin after a typed address: the typed words are kept, or the change is said
LOCATION_ADDED = "已收到位置，已补充到地点“{place}”。"
LOCATION_CHANGED = "地点已更新为：{place}（原来是：{before}）。"

# a second problem, or a new start, in the middle of a form
START_MID_FORM = (
    "您正在登记：“{description}”。先把这件登记完，再登记下一件；"
    "想放弃这件重新登记，请回复“重新开始”。"
)
NEXT_HELD = "另一件事“{short}”已记下，这件登记完就接着登记。如果是在补充当前这件，请回复“补充”。"
NEXT_STARTED = "接着登记您说的另一件事：“{short}”。"
# an emergency said while another matter is being registered goes first
URGENT_FIRST = "先登记这件紧急的事。您正在登记的“{short}”已保存，这件登记完就接着办。"
PARKED_RESUMED = "接着登记您刚才的诉求：“{short}”。"
ALREADY_NOTED = "这段描述已经记下了，不用重复发送。"

# registration and after
REGISTERED = (
    "已为您登记，工单编号：{no}\n"
    "承办部门：{department}\n"
    "我们会在 {limit}（{due}前）答复，结果将通过本公众号推送给您。\n"
    "查询进度请发送工单编号。"
)
ALREADY_REGISTERED = "您的诉求已经提交，工单编号：{no}，无需重复确认。还有其他问题请直接描述。"
DRAFT_SUPPLEMENTED = "好的，已把这段话补充到问题描述里。"
REGISTER_FAILED = "登记时遇到问题，您的内容已保留。请稍后回复“确认”再试，或拨打 12345。"
STATUS = "工单 {no}\n状态：{status}\n类别：{category}\n承办部门：{department}\n登记时间：{created}{extra}"
STATUS_DUE = "\n答复期限：{due}"
STATUS_RATING = "\n您的评价：{rating}"
STATUS_REPLY = "\n答复：{reply}"
STATUS_ROUND = "\n办理轮次：第 {round} 轮（重新办理）"
STATUS_LAST_REPLY = "\n上一轮答复：{reply}"
# "部门怎么答复的"
REPLY_OF = "工单 {no}（{short}）的答复：\n{reply}"
REPLY_RATE = "对办理结果满意吗？请回复 1 满意、2 基本满意、3 不满意。"
REPLY_WHICH = "您有几件诉求部门已答复，请发送工单编号查看答复："
REPLY_NONE = "您的诉求还没有收到部门答复，答复后会推送给您。"
# "查询 2026113O-0001": a number that cannot be read
TICKET_FORMAT = "“{typed}”不是有效的工单编号。编号是 8 位日期加 4 位序号，如 20261128-0042。"
TICKET_FORMAT_LETTERS = "编号里只有数字，请留意数字 0 和字母 O。"
# "查询 0009", "撤回 0033": the tail of a number
TAIL_NOT_FOUND = "没有找到尾号为 {tail} 的诉求，请发送完整的工单编号（如 20261128-0042）。"
TAIL_WHICH = "尾号为 {tail} 的诉求有几件，请发送完整的工单编号："
NOT_FOUND = "没有找到编号为 {no} 的诉求，请核对编号（格式如 20261128-0042）。"
# "查询20261129-1" when more than one ticket that day may be meant
TICKET_WHICH = "编号 {no} 不完整，请发送完整的工单编号。您那天的诉求有："
ASK_TICKET = "请发送要查询的工单编号（格式如 20261128-0042）。"
MY_NONE = "您还没有提交过诉求。直接描述您遇到的问题即可登记。"
# asked about an earlier report with none in this account: it may have been made by phone
NO_CASE_HERE = (
    "您在公众号里还没有提交过诉求。如果是打 12345 电话反映的，"
    "请拨打 12345 查询进度，报上工单编号会更快。"
)
NO_CASE_REGISTER = "需要的话，我可以在这里帮您登记，请回复“登记”。"
NO_CASE_DESCRIBE = "有新的问题要反映，直接描述即可。"
# a chase that says the case was made by phone, while this chat has cases of its own
PHONE_CASE_HINT = "如果是打 12345 电话反映的，请拨打 12345 查询进度，报上工单编号会更快。"
# "咨询的那个有人回了吗"
CONSULT_MINE = "您登记的咨询："
CONSULT_MINE_NONE = (
    "您在公众号里还没有登记过咨询。如果是打 12345 电话咨询的，请拨打 12345 查询答复。"
    "有问题也可以直接问我。"
)
# "这事儿归谁管啊", "啥时候能给俺修好": the matter is not named
ASK_WHAT_MATTER = "请问是什么问题？请说说发生了什么、在哪里，我帮您登记并转给负责的部门。"
NEW_MATTER_TOO = "如果是新的问题，请说说发生了什么、在哪里，我帮您登记。"
MY_HEADER = "您最近的诉求："
MY_LINE = "{no}｜{status}｜{description}"
MY_DETAIL_HINT = "发送工单编号可查看详细进度。"
PROGRESS_OR_NEW = "如果您说的事不在上面，回复“登记”，我帮您登记为新的诉求。"
# "灯咋还不亮" while a complaint about a lamp is open: that one, or a new problem?
SIMILAR_OPEN = "您之前反映过相关的问题："
SIMILAR_OR_NEW = (
    "如果说的就是这件，发送工单编号可查看详细进度；如果是新的问题，回复“登记”，我帮您登记。"
)
# "路灯的事催一下" while the lamp complaint is open: its card, then this
CHASE_NAMED = (
    "您说的应该是这件。有新情况可回复“补充 {no} ＋内容”，承办部门能看到；"
    "如果是另一个问题，回复“登记”，我帮您登记。"
)
SUPPLEMENT_ASK = "请在“补充”后写上要补充的内容，如“补充 20261128-0042 晚上十点后更吵”。"
SUPPLEMENT_NONE = "没有找到可补充的进行中诉求。"
SUPPLEMENTED = "已将补充内容加入工单 {no}，承办部门可以看到。"
WITHDRAW_ASK = "请写明要撤回的工单编号，如“撤回 20261128-0042”。"
WITHDRAW_ASK_IN_FORM = (
    "要撤回已提交的诉求，请写明工单编号，如“撤回 20261128-0042”；"
    "要放弃正在登记的这件，请回复“取消”。"
)
ALREADY_WITHDRAWN = "工单 {no} 已经撤回了，无需重复操作。如问题仍存在，可以直接描述重新反映。"
SUPPLEMENT_WITHDRAWN = "工单 {no} 已撤回，不能再补充。如问题仍存在，请直接描述重新反映。"
NOT_UNDERSTOOD = "抱歉，没看明白您的意思。"
HELP_POINTER = "发送“帮助”可查看能办理的事项。"  # after the full help was shown once
QUESTION_TO_REGISTER = "这个问题暂时没有现成的答复，我先帮您登记，转给相关部门答复。"
WITHDRAWN = "工单 {no} 已撤回。如问题仍存在，可以随时重新反映。"
NOT_WITHDRAWING = "好的，工单不会撤回，会继续办理。想了解进度可以发送“我的诉求”。"
# "哎呀我搞错了，还是要投诉的" right after a withdrawal: the summary follows
REGISTER_AGAIN = "工单 {no} 已撤回，撤回的工单不能恢复。我用原来的内容帮您重新登记，请核对："
# withdrawing cannot be undone by the citizen: asked once
WITHDRAW_CONFIRM = "确定要撤回工单 {no}（{short}）吗？撤回后不再办理。回复“确定”撤回。"
WITHDRAW_KEPT = "好的，工单 {no} 没有撤回，会继续办理。"
# "撤回" with several open: which one ({numbered lines} follow)
WITHDRAW_WHICH = "您要撤回哪一件？请回复序号："
# "不是，我是说另一个" to "确定要撤回工单…吗？": the others to pick from follow, or
# there are none to list
WITHDRAW_OTHER_WHICH = "好的，工单 {no} 不撤回。您要撤回的是哪一件？请回复序号："
WITHDRAW_OTHER_ASK = (
    "好的，工单 {no} 不撤回。您要撤回的是哪一件？请发送工单编号，如“撤回 20261128-0042”。"
)
# a photo minutes after registering, with no draft open
PHOTO_FOR_TICKET = (
    "已收到照片。这是补充到刚登记的工单 {no}（{short}）的吗？"
    "回复“是”补充到该工单，回复“新问题”另行登记。"
)
PHOTO_FOR_TICKET_AGAIN = "照片要补充到工单 {no} 吗？回复“是”补充，回复“新问题”另行登记。"
PHOTO_MORE = "已收到 {count} 张照片。"
# a location pin minutes after registering, with no draft open
LOCATION_FOR_TICKET = (
    "已收到位置：{place}。这是补充到刚登记的工单 {no}（{short}）的位置吗？"
    "回复“是”补充到该工单，回复“新问题”另行登记。"
)
LOCATION_FOR_TICKET_AGAIN = "位置要补充到工单 {no} 吗？回复“是”补充，回复“新问题”另行登记。"
LOCATION_ADDED_TO_TICKET = "位置已补充到工单 {no}，承办部门会看到。"
LOCATION_DROPPED = "好的，位置不补充了。"
# a place detail ("1号楼") minutes after registering, with no draft open
DETAIL_FOR_TICKET = "“{detail}”是补充到刚登记的工单 {no}（{short}）的地点吗？回复“是”补充到该工单。"
DETAIL_SUPPLEMENT = "补充地点：{detail}"
DETAIL_ADDED_TO_TICKET = "地点已补充到工单 {no}，承办部门会看到。"
DETAIL_DROPPED = "好的，不补充了。"
# what the department reads on the ticket (a supplement: there is no second location)
LOCATION_SUPPLEMENT = "补充位置：{place}（经纬度 {lat:.6f}, {lng:.6f}）"
# the answer to a department's question (bot/messages.py ASKED), added to the ticket
QUESTION_ANSWERED = (
    "已将您的回复补充到工单 {no}，承办部门会看到。还有照片或补充，可以继续发送；"
    "如果这是另一件事，请回复“投诉”单独登记。"
)
QUESTION_PHOTO_ADDED = "照片已补充到工单 {no}，承办部门会看到。"
PHOTO_ADDED = "照片已补充到工单 {no}，承办部门会看到。"
PHOTO_SEND_FOR = "好的，请直接发送照片，我会补充到工单 {no}（{short}）。"
PHOTO_DROPPED = "好的，照片不补充了。"
PHOTO_RESEND = "照片没能保存，请重新发送一次。"
NOT_ALLOWED = "无法办理：{reason}"

# consultation
# after a menu's answer while a draft waits: one line, not the draft's whole question
DRAFT_WAITING = "（您的诉求“{short}”还没提交，回复“继续”接着填写。）"
CONSULT_PROMPT = "请直接输入您想咨询的问题。"
# "是", "好" after the 咨询 menu: no question yet, nothing to file
CONSULT_ASK_AGAIN = "请直接输入您想咨询的问题，如“居住证怎么办理”。"
# a problem with its place typed after the 咨询 menu: someone must go and fix it
CONSULT_IS_COMPLAINT = "这听起来是需要处理的问题，我帮您登记为诉求，好吗？回复“好”开始登记。"
CONSULT_NO_ANSWER = "暂时没有找到相关答复。回复“登记咨询”可将问题转给工作人员，会尽快答复您。"
# after a knowledge-base miss the citizen asked for someone to come: the question is the problem
MISSED_TO_COMPLAINT = "好的，按您刚才说的“{short}”为您登记。"
# "不用" to an offer to file something ("回复“登记咨询”…", "回复“登记”…")
OFFER_DECLINED = "好的，不登记。有其他问题，随时告诉我。"
CONSULT_FILED = "已登记为咨询，工单编号：{no}。工作人员答复后会推送给您。"
CONSULT_FOOTER = "\n（如未解决您的问题，回复“登记咨询”转人工）"

# praise: registered for staff to pass on, no address needed
PRAISE_THANKS = "感谢您的表扬！需要的话回复“登记”，我把这份表扬登记下来，转达给相关单位和工作人员。"
PRAISE_ASK = "谢谢您！请说说要表扬哪个单位或哪位工作人员、因为什么事，我帮您登记转达。"
PRAISE_FILED = "已登记您的表扬，编号：{no}，会转达给相关单位。谢谢您的支持！"

# satisfaction survey
RATED_CLOSED = "感谢您的评价！工单 {no} 已办结。有其他问题随时找我们。"
# a question ("问题解决了吗？") follows: no farewell before it
RATED_CLOSED_ASKING = "感谢您的评价！工单 {no} 已办结。"
RATED_WITH_PRAISE = "您的表扬已随评价记到工单里，承办单位会看到。"
RATED_REOPENED = (
    "收到您的评价。工单 {no} 已重新交办（第 {round} 轮）并列入督办。"
    "哪里还没解决？直接告诉我，我会补充到工单里。"
)
RATED_REOPENED_IN_FORM = (
    "收到您的评价。工单 {no} 已重新交办（第 {round} 轮）并列入督办。"
    "想补充情况，可回复“补充 {no} ＋内容”。"
)
# "什么时候再来处理" right after a reopening: the round's limit, not a supplement
REOPENED_WHEN = (
    "工单 {no} 正在第 {round} 轮重新办理，承办部门须在 {due} 前答复您，结果会推送到这里。"
    "还有哪里没解决，也可以直接告诉我。"
)
REOPENED_SUPPLEMENTED = (
    "已补充到工单 {no}，承办部门会看到。如果这是另一件事，请回复“投诉”单独登记。"
)
RATE_FAILED = "评价没能保存，请稍后再回复一次。"
# a photo after "哪里还没解决？直接告诉我": evidence for the reopened ticket
PHOTO_ADDED_REOPENED = "照片已补充到工单 {no}，承办部门会看到。还有哪里没解决，也可以直接告诉我。"
PHOTO_FAILED_REOPENED = "照片没能保存，请重新发送一次，我会补充到工单 {no}。"
# a survey pending, and a short message that only sounds like an answer ({about}: NUMBER_WHICH_TICKET)
FEEDBACK_UNSATISFIED = (
    "您是说{about}的处理不满意吗？回复“是”，我重新交办；要反映新问题，请回复“新问题”。"
)
THUMBS_SATISFIED = "是{about}的处理满意吗？回复“是”记为满意，也可以回复 2 基本满意、3 不满意。"
SURVEY_HINT = (
    "工单 {no} 还在等您的评价：问题解决了吗？对办理结果满意吗？"
    "请回复 1 满意、2 基本满意、3 不满意，也可以直接说“解决了”或“没解决”。"
)
# more than one survey waits, or the comment is about another complaint: never guess
SURVEY_WHICH = "您有几件诉求在等评价，请说明是哪一件："
SURVEY_NOT_THIS = "您说的好像是另一件诉求，它如果还没解决，可以直接描述重新反映。在等评价的是这件："
# the rating said is kept meanwhile ({rating}: "不满意，灯还是不亮"), the number is enough
SURVEY_NAME_IT = "请回复序号或编号，如“1”或“{no}”，您的评价“{rating}”会记到那一件上。"
# "还没看到", "我不在家，不清楚修没修": no rating either way, the survey stays open
SURVEY_LATER = (
    "好的，不着急。{about}评价给您留着，您看过之后再告诉我就行："
    "直接说“解决了”或“没解决”，或回复 1 满意、2 基本满意、3 不满意。"
)
SURVEY_LATER_TICKET = "工单 {no} 的"
SURVEY_LATER_TICKETS = "这几件诉求的"
# "满意？哈哈", "好了？呵呵": relief or a sneer, never guessed ({about}: SURVEY_LATER_TICKET)
SURVEY_DOUBTFUL = (
    "想确认一下：您对{about}处理是满意，还是不满意？"
    "请回复 1 满意、2 基本满意、3 不满意，也可以直接说“解决了”或“没解决”。"
)
SOLVED_LATER = "好的，您看过之后回复“解决了”或“没解决”告诉我就行。"
# "过两天再说" after a reopening: nothing to add to the ticket
REOPENED_LATER = "好的，工单 {no} 已重新交办，承办部门会再处理。有新情况随时告诉我。"
# a 不满意 or a relapse named on a case closed for good
RATING_CLOSED = "工单 {no} 已经办结（您当时的评价：{rating}），评价不能再修改了。"
RATING_CLOSED_UNRATED = "工单 {no} 已过评价期限，自动办结了，不能再评价。"
SUPPLEMENT_CLOSED = "工单 {no} 已经办结，不能再补充了。"
REFILE_ASK = "如果问题还在或又出现了，回复“重新反映”，我按这张工单的地址和内容帮您重新登记{said}。"
REFILE_SAID = "，并写上您刚说的“{said}”"
REFILE_DESCRIBE = "如果问题还在或又出现了，请直接描述，我帮您重新登记。"
REFILE_STARTED = "好的，按工单 {no} 的地址和内容为您重新登记。"
REFILE_GONE = "没有找到工单 {no}，请直接描述问题，我帮您登记。"
# a yes that answers nothing asked ("是", "对"): no ticket it could be about is named
YES_TO_NOTHING = "收到。要反映新问题请直接描述；查看您的诉求请回复“我的诉求”。"
# a bare number at the category question while a survey waits: which is it?
NUMBER_WHICH = "您回复的“{number}”，是{about}的评价“{rating}”，还是选择类别“{category}”？请回复“评价”或“类别”。"
NUMBER_WHICH_TICKET = "对工单 {no}（{short}）"
NUMBER_WHICH_TICKETS = "对已答复诉求"
ASK_SOLVED = "最后一个问题：您反映的问题解决了吗？回复“是”或“否”。"
SOLVED_RECORDED = "已记录，谢谢您的反馈！有其他问题随时找我们。"
HUMAN = "这里是自动服务。需要人工服务请拨打 12345 热线（24 小时）；也可以直接告诉我您遇到的问题，我帮您登记。"
HUMAN_IN_FORM = (
    "需要人工服务请拨打 12345 热线（24 小时）。也可以接着回答上面的问题，我继续帮您登记。"
)
# "你是机器人吗": said plainly, with the way to a person
BOT_IDENTITY = (
    "我是 12345 的自动服务助手，可以帮您登记问题、查询进度、解答常见问题。"
    "需要人工请拨打 12345 热线（24 小时）。"
)
# "我是个老头 不太会用这个": nothing wrong told yet; the words are not the description
REASSURE = "没关系，您慢慢说，遇到了什么事？"
REASSURE_IN_FORM = "没关系，您慢慢来。"
# an insult and nothing else: calm, and not stored as the description
VENTING = "理解您着急，请说说具体是什么问题、在哪里，我马上帮您登记。"
VENTING_IN_FORM = "理解您着急，我们尽快帮您登记。"
# "催一下", "快点" at the summary: it is registered on 确认
SUMMARY_HURRY = "理解您着急。核对无误请回复“确认”，马上为您登记。"
# a lone emoji or sticker
EMOJI_ANGRY = "您遇到什么事了？直接说说，我帮您登记。"
EMOJI_FRIENDLY = "收到！有需要随时直接告诉我。"
# a clear question while the form asks for something else, with no ready answer
QUESTION_SET_ASIDE = "这个问题暂时没有现成的答复，等这件登记完您可以再发一次，我帮您转给工作人员。"
