//! The template functions for images:
//! - `resize_image(path, width, height, op, format, quality)` and
//!   `get_image_metadata(path, allow_missing)`, as Zola's (same arguments,
//!   same answers, same path search);
//! - `responsive_image(path, alt, class, sizes, eager)`: the markup a
//!   Markdown image gets, for a theme's hero images;
//! - `og_image(path)`: the 1200x630 Open Graph image, `{ url, width,
//!   height }` with an absolute URL.
//!
//! `responsive_image` and `og_image` look for `path` beside the page being
//! rendered first (a bundle's `hero.jpg`), as its Markdown would, then
//! where `resize_image` looks. A problem with the image is the template's
//! error, said with the image's path.

use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::media::{Found, Media};
use crate::images::{ImageError, ImgAttrs, Loading, ResizeArgs, img_html};
use crate::site::Site;

/// Registers the image functions on `tera`.
pub(crate) fn register(tera: &mut Tera, site: &Arc<Site>, media: &Arc<Media>) {
    let m = media.clone();
    tera.register_function("resize_image", move |kwargs: Kwargs, _: &State| {
        resize_image(&m, &kwargs)
    });
    let m = media.clone();
    tera.register_function("get_image_metadata", move |kwargs: Kwargs, _: &State| {
        get_image_metadata(&m, &kwargs)
    });
    let (m, s) = (media.clone(), site.clone());
    tera.register_function("responsive_image", move |kwargs: Kwargs, state: &State| {
        responsive_image(&s, &m, &kwargs, state)
    });
    let (m, s) = (media.clone(), site.clone());
    tera.register_function("og_image", move |kwargs: Kwargs, state: &State| {
        og_image(&s, &m, &kwargs, state)
    });
}

fn image_error(e: &ImageError) -> tera::Error {
    match e.help() {
        Some(help) => tera::Error::message(format!("{e} ({help})")),
        None => tera::Error::message(e.to_string()),
    }
}

fn missing(path: &str) -> tera::Error {
    tera::Error::message(format!(
        "image `{path}` not found (looked in the site's root, static/, content/ and the theme's static/; `@/` names a file of content/)"
    ))
}

/// The file `path` names, searched as Zola does.
fn template_file(media: &Media, path: &str) -> TeraResult<(String, std::path::PathBuf)> {
    match media.find_for_template(path) {
        Found::File { site_path, file } => Ok((site_path, file)),
        Found::External => Err(tera::Error::message(format!(
            "`{path}` is not a file of the site: images from other sites cannot be processed"
        ))),
        Found::Missing => Err(missing(path)),
    }
}

fn resize_image(media: &Media, kwargs: &Kwargs) -> TeraResult<Value> {
    let path: String = kwargs.must_get("path")?;
    let args = ResizeArgs {
        op: kwargs.get("op")?,
        width: kwargs.get("width")?,
        height: kwargs.get("height")?,
        format: kwargs.get("format")?,
        quality: kwargs.get("quality")?,
    };
    let (site_path, file) = template_file(media, &path)?;
    let resized = media
        .images
        .resize(&site_path, &file, args)
        .map_err(|e| image_error(&e))?;
    media.record(&resized.url);
    Ok(Value::from_serializable(&resized))
}

fn get_image_metadata(media: &Media, kwargs: &Kwargs) -> TeraResult<Value> {
    let path: String = kwargs.must_get("path")?;
    let allow_missing = kwargs.get::<bool>("allow_missing")?.unwrap_or(false);
    let (site_path, file) = match media.find_for_template(&path) {
        Found::File { site_path, file } => (site_path, file),
        _ if allow_missing => return Ok(Value::none()),
        _ => return Err(missing(&path)),
    };
    let metadata = media
        .images
        .metadata(&site_path, &file)
        .map_err(|e| image_error(&e))?;
    Ok(Value::from_serializable(&metadata))
}

/// The file `path` names for the page being rendered: beside it first.
fn page_file(
    site: &Site,
    media: &Media,
    path: &str,
    state: &State,
) -> TeraResult<Option<(String, std::path::PathBuf)>> {
    let source: Option<String> = state.get::<Value>("page")?.and_then(|p| {
        p.get_from_path("source")
            .and_then(|v| v.as_str().map(str::to_string))
    });
    let entry = source
        .as_deref()
        .and_then(|s| s.strip_prefix("content/"))
        .and_then(|rel| site.index_of(rel))
        .map(|i| &site.entries[i]);
    if let Some(entry) = entry {
        match media.find_for_page(entry, path) {
            Found::File { site_path, file } => return Ok(Some((site_path, file))),
            Found::External => return Ok(None),
            Found::Missing => {}
        }
    }
    match media.find_for_template(path) {
        Found::File { site_path, file } => Ok(Some((site_path, file))),
        Found::External => Ok(None),
        Found::Missing => Err(missing(path)),
    }
}

fn responsive_image(
    site: &Site,
    media: &Media,
    kwargs: &Kwargs,
    state: &State,
) -> TeraResult<Value> {
    let path: String = kwargs.must_get("path")?;
    let alt: String = kwargs.get("alt")?.unwrap_or_default();
    let class: Option<String> = kwargs.get("class")?;
    let sizes: Option<String> = kwargs.get("sizes")?;
    let eager = kwargs.get::<bool>("eager")?.unwrap_or(false);
    let attrs = ImgAttrs {
        class: class.as_deref(),
        sizes: sizes.as_deref(),
        loading: if eager { Loading::Eager } else { Loading::Lazy },
        ..ImgAttrs::new(&alt)
    };
    let Some((site_path, file)) = page_file(site, media, &path, state)? else {
        // Another site's image: an <img> as it is.
        let mut html = String::from("<img src=\"");
        crate::util::html::escape_into(&mut html, &path);
        html.push_str("\" alt=\"");
        crate::util::html::escape_into(&mut html, &alt);
        html.push_str("\">");
        return Ok(Value::safe_string(&html));
    };
    let image = media
        .responsive(&site_path, &file)
        .map_err(|e| image_error(&e))?;
    Ok(Value::safe_string(&img_html(&image, &attrs)))
}

/// `{ url, width, height }` of the Open Graph image: processed to
/// 1200x630 when it is a file of the site, as it is otherwise.
fn og_image(site: &Site, media: &Media, kwargs: &Kwargs, state: &State) -> TeraResult<Value> {
    let path: String = kwargs.must_get("path")?;
    let Some((site_path, file)) = page_file(site, media, &path, state)? else {
        let external = serde_json::json!({ "url": path, "width": null, "height": null });
        return Ok(Value::from_serializable(&external));
    };
    let resized = media
        .images
        .open_graph(&site_path, &file)
        .map_err(|e| image_error(&e))?;
    media.record(&resized.url);
    let local = resized
        .url
        .strip_prefix(site.base_path())
        .unwrap_or(&resized.url);
    let url = site.permalink(local);
    let og = serde_json::json!({ "url": url, "width": resized.width, "height": resized.height });
    Ok(Value::from_serializable(&og))
}
