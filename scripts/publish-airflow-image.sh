#!/usr/bin/env bash
# Builds an environment's Airflow image and pushes it to the environment's ECR repository, unless
# its tag is there already: ECR's tags are immutable and the tag is derived from the Dockerfile,
# so a tag that exists is this image. The pipeline's publish-<env>-airflow-image job runs it with
# the deploy role's credentials, after the infrastructure deploy (which creates the repository)
# and before the platform deploy (whose chart values name the tag). Everything it builds comes
# from `npm run airflow-image` (constructs/airflow/airflow-image.ts); it needs npm ci, the AWS CLI
# and Docker. Usage: scripts/publish-airflow-image.sh <env>
set -euo pipefail

environment="${1:?usage: scripts/publish-airflow-image.sh <env>}"
image() { npm run --silent airflow-image -- "$1" "$environment"; }

source="$(image source)"
if [[ "$source" != platform ]]; then
  echo "$environment runs a prebuilt Airflow image ($(image reference)): nothing to build"
  exit 0
fi
repository="$(image repository)"
tag="$(image tag)"
registry="${repository%%/*}"          # <account>.dkr.ecr.<region>.amazonaws.com
name="${repository#*/}"               # <resourcePrefix>/airflow
region="$(cut -d. -f4 <<<"$registry")"

if found="$(aws ecr describe-images --region "$region" --repository-name "$name" --image-ids "imageTag=$tag" \
  --query 'imageDetails[0].imageDigest' --output text 2>&1)"; then
  echo "$repository:$tag is in ECR already ($found): nothing to build"
  exit 0
fi
if [[ "$found" != *ImageNotFoundException* ]]; then
  echo "looking for $repository:$tag in ECR failed: $found" >&2
  exit 1
fi

echo "building $repository:$tag"
aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
# No build context: the Dockerfile copies nothing in.
image dockerfile | docker build --pull --tag "$repository:$tag" -
docker push "$repository:$tag"
