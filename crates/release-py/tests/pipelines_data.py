"""The seed pipelines of the core's tests (pipeline_seeds.rs), shared by
the Python tests."""

FRAGALYSIS = """
name = "fragalysis-production"

[[components]]
name = "backend"
repository = "xchem/fragalysis-backend"
branch = "production"
tags = { scheme = { kind = "calver", format = "YYYY.0M.MICRO" } }

[[components]]
name = "frontend"
repository = "xchem/fragalysis-frontend"
branch = "production"
tags = { scheme = { kind = "calver", format = "YYYY.0M.MICRO" } }

[[components]]
name = "stack"
repository = "xchem/fragalysis-stack"
branch = "master"
tags = { scheme = { kind = "calver", format = "YYYY.0M.MICRO" } }
pins = [
  { component = "backend", branch = "production", variable = "BE_IMAGE_TAG" },
  { component = "frontend", branch = "production", variable = "FE_IMAGE_TAG" },
]

[[environments]]
name = "staging"

[[environments]]
name = "production"
gates = [
  { name = "production-tag", rule = { tag = { component = "stack" } } },
  { name = "pins", rule = { pins = { components = ["backend", "frontend"], branch = "production" } } },
]

[[steps]]
id = "tag-backend"
kind = "tag"
component = "backend"
description = "tag the backend's production branch; wait for its CI"
estimate = "3m..4m"
command = ["gh", "release", "create", "--repo", "xchem/fragalysis-backend"]

[[steps]]
id = "tag-frontend"
kind = "tag"
component = "frontend"
needs = ["tag-backend"]
estimate = "5m..6m"

[[steps]]
id = "pin-stack"
kind = "custom"
component = "stack"
needs = ["tag-frontend"]
description = "set BE_IMAGE_TAG and FE_IMAGE_TAG in build-main.yaml and commit"
metadata = { file = ".github/workflows/build-main.yaml" }

[[steps]]
id = "tag-stack"
kind = "tag"
component = "stack"
needs = ["pin-stack"]

[[steps]]
id = "deploy-stack"
kind = "deploy"
component = "stack"
environment = "production"
needs = ["tag-stack"]
estimate = "10m..15m"

[[steps]]
id = "verify"
kind = "test"
environment = "production"
needs = ["deploy-stack"]
estimate = "15m..20m"
manual = true

[[steps]]
id = "ticket"
kind = "notify"
needs = ["verify"]
"""

ECR = """
name = "ecr-viewer"

[[components]]
name = "ecr-viewer"
tags = { template = "release-{name}-{version}", scheme = { kind = "semver" } }

[[environments]]
name = "dev"

[[steps]]
id = "beta"
kind = "tag"
component = "ecr-viewer"

[[steps]]
id = "deployment-options"
kind = "custom"
needs = ["beta"]
matrix = { axes = { target = ["aws-terraform", "azure-terraform", "vm"] } }

[[steps]]
id = "deploy"
kind = "deploy"
environment = "dev"
needs = ["deployment-options"]

[[steps]]
id = "test"
kind = "test"
needs = ["deploy"]

[steps.matrix]
axes = { cloud = ["aws", "azure", "gcp"], integration = ["integrated", "non-integrated"], schema = ["core", "extended"], database = ["postgres", "sqlserver"] }
cells = [
  { name = "aws-integrated", values = { cloud = "aws", integration = "integrated", schema = "extended", database = "postgres" } },
  { name = "azure-integrated", values = { cloud = "azure", integration = "integrated", schema = "extended", database = "postgres" } },
  { name = "aws-sqlserver", values = { cloud = "aws", integration = "non-integrated", schema = "extended", database = "sqlserver" } },
  { name = "azure-sqlserver", values = { cloud = "azure", integration = "non-integrated", schema = "extended", database = "sqlserver" } },
  { name = "gcp-vm", values = { cloud = "gcp", integration = "non-integrated", schema = "core", database = "sqlserver" }, requirement = "advisory" },
]

[[steps]]
id = "final"
kind = "tag"
component = "ecr-viewer"
needs = ["test"]
gates = [{ name = "matrix", rule = { matrix = { step = "test" } } }]

[[steps]]
id = "notify"
kind = "notify"
needs = ["final"]
"""
