"""API docs that work offline: Swagger UI and ReDoc served from this server's own assets
(shipped by the fastapi-offline package), never from a CDN."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
PREFIX = "/docs-assets"


def install_docs(app: FastAPI) -> None:
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - API docs",
            swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{PREFIX}/favicon.png",
            # no validator badge: it would call validator.swagger.io from every browser
            swagger_ui_parameters={"persistAuthorization": True, "validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc():
        return get_redoc_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - API reference",
            redoc_js_url=f"{PREFIX}/redoc.standalone.js",
            redoc_favicon_url=f"{PREFIX}/favicon.png",
            with_google_fonts=False,
        )


def install_openapi(app: FastAPI) -> None:
    """Document the 422 body as we send it: FastAPI's ``detail`` list plus a ``message``."""

    def build() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=TAGS,
            )
            problem = schema.get("components", {}).get("schemas", {}).get("HTTPValidationError")
            if problem is not None:
                problem["properties"]["message"] = {
                    "type": "string",
                    "title": "Message",
                    "description": "The first problem, in one line.",
                }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = build


TAGS = [
    {"name": "builds", "description": "Builds make releases."},
    {"name": "Integrations", "description": "Integrations and their releases."},
    {"name": "Tenants", "description": "Installed instances of integrations, and their runs."},
    {"name": "Tenant Metadata", "description": "Data a tenant's integration keeps."},
    {
        "name": "Proxy Endpoints",
        "description": "Calls to third-party APIs with a tenant's credentials.",
    },
    {"name": "Runs", "description": "Run status and logs."},
    {
        "name": "Integrations (extension)",
        "description": "Managing integrations (not in Pandium's API).",
    },
    {"name": "Tenants (extension)", "description": "Connector credentials (not in Pandium's API)."},
    {"name": "Runs (extension)", "description": "Signed log downloads (not in Pandium's API)."},
    {"name": "Operations (extension)", "description": "Health, readiness and metrics."},
]
