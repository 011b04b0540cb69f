-- +goose Up
CREATE TABLE sections (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE topics (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE cities (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE photos (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    path       TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    alt        TEXT NOT NULL,
    caption    TEXT NOT NULL DEFAULT '',
    credit     TEXT NOT NULL DEFAULT '',
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE authors (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    title    TEXT NOT NULL DEFAULT '',
    kind     TEXT NOT NULL CHECK (kind IN ('staff', 'contributor')),
    bio      TEXT NOT NULL DEFAULT '',
    photo_id BIGINT REFERENCES photos (id)
);

CREATE TABLE stories (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    headline     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('news', 'analysis', 'opinion', 'gallery')),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
    summary      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    section_id   BIGINT NOT NULL REFERENCES sections (id),
    city_id      BIGINT REFERENCES cities (id),
    photo_id     BIGINT REFERENCES photos (id),
    published_at TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    modified_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX stories_live ON stories (status, published_at);
CREATE INDEX stories_section ON stories (section_id, published_at);
CREATE INDEX stories_city ON stories (city_id, published_at);

CREATE TABLE story_slugs (
    slug     TEXT PRIMARY KEY,
    story_id BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE
);

CREATE TABLE story_authors (
    story_id  BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES authors (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (story_id, author_id)
);
CREATE INDEX story_authors_author ON story_authors (author_id);

CREATE TABLE story_topics (
    story_id BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics (id),
    PRIMARY KEY (story_id, topic_id)
);
CREATE INDEX story_topics_topic ON story_topics (topic_id);

CREATE TABLE story_gallery (
    story_id BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    photo_id BIGINT NOT NULL REFERENCES photos (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (story_id, position)
);

CREATE TABLE story_related (
    story_id   BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    related_id BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (story_id, related_id)
);

CREATE TABLE corrections (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    story_id   BIGINT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    noted_at   TIMESTAMPTZ NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX corrections_story ON corrections (story_id);

CREATE TABLE newsletters (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    promise      TEXT NOT NULL DEFAULT '',
    signup_title TEXT NOT NULL DEFAULT '',
    curator_id   BIGINT REFERENCES authors (id),
    days         TEXT NOT NULL DEFAULT '',
    send_time    TEXT NOT NULL DEFAULT '06:00',
    time_zone    TEXT NOT NULL,
    city_id      BIGINT REFERENCES cities (id),
    sections     TEXT NOT NULL DEFAULT '',
    topics       TEXT NOT NULL DEFAULT '',
    from_name    TEXT NOT NULL DEFAULT '',
    from_email   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE newsletters;
DROP TABLE corrections;
DROP TABLE story_related;
DROP TABLE story_gallery;
DROP TABLE story_topics;
DROP TABLE story_authors;
DROP TABLE story_slugs;
DROP TABLE stories;
DROP TABLE authors;
DROP TABLE photos;
DROP TABLE cities;
DROP TABLE topics;
DROP TABLE sections;
