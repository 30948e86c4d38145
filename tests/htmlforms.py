"""Read a page's form the way a browser would submit it, so a test can change a field and
post it back exactly as a person would."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.fields = [], None
        self.textarea, self.select, self.option = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.fields = []
            self.forms.append(self.fields)
        if self.fields is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = [name, "multiple" in a, [], None]
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.select[2].append((value if value is not None else text, selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options, _ = self.select
            chosen = [v for v, s in options if s]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.fields += [(name, v) for v in chosen]
            self.select = None


def form_fields(html, has="version"):
    """The first POST form of `html` with a field named `has`, as {name: value, or a list
    when the name repeats}."""
    parser = _FormParser()
    parser.feed(html if isinstance(html, str) else html.decode())
    found = [f for f in parser.forms if any(name == has for name, _ in f)]
    assert found, f"no form with a {has!r} field"
    out = {}
    for name, value in found[0]:
        if name in out:
            out[name] = (out[name] if isinstance(out[name], list) else [out[name]]) + [value]
        else:
            out[name] = value
    out.pop("csrfmiddlewaretoken", None)
    return out


def open_form(client, url, has="version"):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return form_fields(response.content, has)
