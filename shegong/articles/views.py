from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shegong import edits
from shegong.activities.models import Activity
from shegong.campaigns import selectors as campaign_selectors
from shegong.edits import EditConflict
from shegong.forms import add_service_errors, error_messages

from . import calls as calls_mod
from . import proofing, selectors, services
from .forms import ArticleForm, CallForm, ReasonForm
from .models import ArticlePhoto
from .proofing import diff_pieces

TABS = {
    "mine": "本单位",
    "review": "待我审核",
    "held": "待发布和推荐",
    "published": "已发布",
}


@login_required
def article_list(request):
    tab = request.GET.get("tab", "mine")
    if tab == "review":
        rows = selectors.to_review(request.user)
    elif tab == "held":
        rows = selectors.held_by(request.user)
    elif tab == "published":
        rows = selectors.articles_visible_to(request.user).exclude(published_at=None)
    else:
        tab = "mine"
        rows = selectors.articles_visible_to(request.user).filter(unit=request.unit)
    rows = rows.select_related("unit", "holder")[:200]
    context = {
        "tab": tab,
        "tabs": TABS,
        "rows": rows,
        "can_write": request.unit is not None and selectors.can_write(request.user, request.unit),
    }
    return render(request, "articles/list.html", context)


def _activities(unit):
    return Activity.objects.filter(unit=unit, deleted_at=None).order_by("-date_start", "-id")[:200]


def _form(unit, article=None, data=None, files=None):
    initial = (
        {"title": article.title, "body": article.body, "activity": article.activity_id}
        if article
        else {}
    )
    form = ArticleForm(data, files, initial=initial, activities=_activities(unit))
    return edits.track(form, article) if article else form


def _edit(request, unit, article=None):
    form = _form(unit, article, request.POST or None, request.FILES or None)
    photos = list(article.photos.all()) if article else []
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.save_article(
                unit=unit,
                by=request.user,
                article=article,
                title=data["title"],
                body=data["body"],
                activity=data["activity"],
                photos=data["photos"],
                captions=[data["caption"]] * len(data["photos"]),
                remove_photos=[p.pk for p in photos if request.POST.get(f"remove_{p.pk}")],
                photo_captions={
                    p.pk: request.POST.get(f"caption_{p.pk}", p.caption) for p in photos
                },
                version=data.get("version"),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        except EditConflict as e:
            conflict = edits.resolve_form(
                form, _form(unit, e.obj), e.obj, files=request.FILES.getlist("photos")
            )
            form, article = _form(unit, e.obj, conflict.data), e.obj
        else:
            if "submit" in request.POST:
                return _submit(request, article)
            messages.success(request, "已保存。")
            return redirect("article_edit", article.pk)
    title, body = (form["title"].value() or ""), (form["body"].value() or "")
    context = {
        "form": form,
        "article": article,
        "photos": photos,
        "unit": unit,
        "proof": proofing.proofread(title, body) if title or body else None,
        "conflict": conflict,
    }
    return render(request, "articles/form.html", context)


@login_required
def article_new(request):
    unit = request.unit
    if unit is None or not selectors.can_write(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以撰写简讯。")
    return _edit(request, unit)


@login_required
def article_edit(request, pk):
    article = selectors.get_article_for_user(request.user, pk)
    if not selectors.can_write(request.user, article.unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以修改简讯。")
    if not article.can_edit:
        messages.info(request, "简讯已提交，审核退回后才能修改。")
        return redirect("article_detail", pk)
    return _edit(request, article.unit, article)


@login_required
@require_POST
def article_check(request):
    """The live check panel of the editor (htmx): findings listed and marked in place."""
    proof = proofing.proofread(request.POST.get("title", ""), request.POST.get("body", ""))
    return render(request, "articles/_check.html", {"proof": proof})


def _submit(request, article):
    try:
        services.submit_article(article=article, by=request.user)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, "还不能提交审核，请先修改：")
        error_messages(request, e)
        return redirect("article_edit", article.pk)
    messages.success(request, "已提交上级审核。")
    return redirect("article_detail", article.pk)


@login_required
@require_POST
def article_submit(request, pk):
    return _submit(request, selectors.get_article_for_user(request.user, pk))


@login_required
def article_detail(request, pk):
    article = selectors.get_article_for_user(request.user, pk)
    user = request.user
    context = {
        "article": article,
        "photos": article.photos.all(),
        "events": article.events.select_related("by", "unit", "to_unit"),
        "versions": article.versions.select_related("by"),
        "provenance": services.provenance(article),
        "proof": proofing.proofread(article.title, article.body),
        "can_edit": article.can_edit and selectors.can_write(user, article.unit),
        "can_review": selectors.can_review(user, article),
        "can_hold": selectors.can_hold(user, article),
        "reason_form": ReasonForm(),
    }
    return render(request, "articles/detail.html", context)


@login_required
def article_version(request, pk, version):
    article = selectors.get_article_for_user(request.user, pk)
    old = get_object_or_404(article.versions.select_related("by"), version=version)
    before = article.versions.filter(version__lt=version).order_by("-version").first()
    changes = (
        diff_pieces(before.title + "\n" + before.body, old.title + "\n" + old.body)
        if before
        else None
    )
    context = {"article": article, "old": old, "before": before, "changes": changes}
    return render(request, "articles/version.html", context)


def _act(request, obj, action, done):
    """Run a service on `obj` (a brief or a call), show its refusal or `done`, and go back
    to the object's page."""
    try:
        action(obj)
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(request, done)
    return redirect(obj)


@login_required
@require_POST
def article_review(request, pk):
    article = selectors.get_article_for_user(request.user, pk)
    by = request.user
    if request.POST.get("decision") == "return":
        reason = request.POST.get("reason", "")
        return _act(
            request,
            article,
            lambda a: services.return_article(article=a, by=by, reason=reason),
            "已退回，撰稿单位修改后可重新提交。",
        )
    note = request.POST.get("note", "")
    if request.POST.get("decision") == "comment":
        return _act(
            request,
            article,
            lambda a: services.comment_article(article=a, by=by, note=note),
            "审核意见已记录。",
        )
    return _act(
        request,
        article,
        lambda a: services.approve_article(article=a, by=by, note=note),
        "已审核通过。",
    )


@login_required
@require_POST
def article_hold(request, pk):
    """What the holding unit does with an approved brief: publish, unpublish, mark,
    recommend upward."""
    article = selectors.get_article_for_user(request.user, pk)
    by, what = request.user, request.POST.get("action")
    actions = {
        "publish": (lambda a: services.publish_article(article=a, by=by), "已发布到门户网站。"),
        "unpublish": (lambda a: services.unpublish_article(article=a, by=by), "已从门户撤下。"),
        "mark": (
            lambda a: services.mark_article(
                article=a,
                by=by,
                typical=bool(request.POST.get("typical")),
                excellent=bool(request.POST.get("excellent")),
            ),
            "标记已更新。",
        ),
        "recommend": (
            lambda a: services.recommend_article(
                article=a, by=by, note=request.POST.get("note", "")
            ),
            "已推荐给上级单位。",
        ),
    }
    if what not in actions:
        raise Http404("没有这个操作。")
    return _act(request, article, *actions[what])


@login_required
def photo_file(request, pk, photo_id):
    """Pictures of unpublished briefs are served through the scope check only."""
    article = selectors.get_article_for_user(request.user, pk)
    photo = ArticlePhoto.objects.filter(article=article, pk=photo_id).first()
    if photo is None:
        raise Http404("没有找到该图片。")
    return FileResponse(photo.image.open("rb"))


# --- solicitations ----------------------------------------------------------------------


@login_required
def call_list(request):
    calls = calls_mod.calls_visible_to(request.user)[:100]
    openable = [
        n
        for n in campaign_selectors.notices_visible_to(request.user)
        .exclude(status="draft")
        .select_related("issuer")
        .order_by("-window_start")[:30]
        if calls_mod.can_open(request.user, n)
    ]
    return render(request, "articles/calls.html", {"calls": calls, "openable": openable})


@login_required
def call_new(request):
    notice = campaign_selectors.get_notice_for_user(request.user, request.GET.get("notice") or 0)
    if not calls_mod.can_open(request.user, notice):
        raise PermissionDenied("只有发文单位的管理员可以发起征集。")
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = calls_mod.open_call(notice=notice, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "征集已发起，下级单位可以报送审核通过的简讯。")
            return redirect("call_detail", call.pk)
    return render(request, "articles/call_form.html", {"form": form, "notice": notice})


@login_required
def call_detail(request, pk):
    call = calls_mod.get_call_for_user(request.user, pk)
    user = request.user
    mine = []
    if request.unit is not None and selectors.can_write(user, request.unit):
        entered = call.entries.values("article")
        mine = list(request.unit.articles.filter(status="approved").exclude(pk__in=entered)[:50])
    context = {
        "call": call,
        "entries": calls_mod.entries_of(call, user),
        "is_open": calls_mod.is_open(call),
        "can_score": calls_mod.can_score(user, call),
        "can_select": calls_mod.can_open(user, call.notice) and call.published_at is None,
        "mine": mine,
    }
    return render(request, "articles/call_detail.html", context)


@login_required
@require_POST
def call_enter(request, pk):
    call = calls_mod.get_call_for_user(request.user, pk)
    article = selectors.get_article_for_user(request.user, request.POST.get("article") or 0)
    return _act(
        request,
        call,
        lambda c: calls_mod.enter(call=c, article=article, by=request.user),
        "已报送。",
    )


@login_required
@require_POST
def call_score(request, pk, entry_id):
    call = calls_mod.get_call_for_user(request.user, pk)

    def act(call):
        entry = get_object_or_404(call.entries, pk=entry_id)
        try:
            value = int(request.POST.get("score", ""))
        except ValueError:
            raise ValidationError("评分须为 0 到 100 的整数。") from None
        calls_mod.score(
            entry=entry, by=request.user, value=value, comment=request.POST.get("comment", "")
        )

    return _act(request, call, act, "评分已保存。")


@login_required
@require_POST
def call_publish(request, pk):
    call = calls_mod.get_call_for_user(request.user, pk)
    ids = [int(i) for i in request.POST.getlist("entry") if i.isdigit()]
    return _act(
        request,
        call,
        lambda c: calls_mod.publish_selected(call=c, by=request.user, entry_ids=ids),
        "入选作品已一并发布到门户网站。",
    )
