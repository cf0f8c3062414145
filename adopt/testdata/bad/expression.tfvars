#####################################
# 1. Required Cloud Configuration
#####################################

aws_access_key = "AKIAIOSFODNN7EXAMPLE"
aws_secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
aws_region = "eu-central-1"
aws_vpc_id = "vpc-0a1b2c3d4e5f67890"
aws_subnet_id = "subnet-0f1e2d3c4b5a69788"
aws_ssh_key_name = "circleci-admin"

#####################################
# 2. Required CircleCI Configuration
#####################################

services_instance_type = "m5.2xlarge"
builder_instance_type = "r5.2xlarge"
nomad_client_instance_type = "m5.2xlarge"

# Passphrase used for encrypting/decrypting secrets—must not be blank
circle_secret_passphrase = "s3cretPassphrase"

#####################################
# 3. Optional Cloud Configuration
#####################################

# Set this to `1` or higher to enable CircleCI 1.0 builders
desired_builders_count = "0"

# Provide proxy address if your network configuration requires it
http_proxy = ""
https_proxy = ""
no_proxy = ""

# Use this var if you have multiple installation within one AWS region
prefix = var.x
