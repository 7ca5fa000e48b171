// The bootstrap Job's two images, pinned. A tag can be re-pushed; the digest cannot.

/**
 * psql 17, the major RDS runs (a newer psql talks to older servers too). The digest is the
 * tag's multi-platform index as docker-library/repo-info recorded it (build of 2026-09-17).
 * @see https://github.com/docker-library/repo-info/blob/master/repos/postgres/remote/17.11-alpine.md
 */
export const POSTGRES_CLIENT_IMAGE = "postgres:17.11-alpine@sha256:b0f9560a2de083e2cc7382e75f808c7381a32852a7ec49117deedb300e552b24";

/**
 * The AWS CLI's official image (Amazon Linux 2023 with the CLI and jq), at the CLI's release
 * 2.36.7 (a tag of aws/aws-cli). No digest is pinned: none is published in a source this
 * project can cite; record the one `docker buildx imagetools inspect` shows before a real deploy.
 * @see https://github.com/aws/aws-cli/blob/2.36.7/docker/Dockerfile
 */
export const AWS_CLI_IMAGE = "amazon/aws-cli:2.36.7";
