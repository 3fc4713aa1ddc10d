#!/bin/sh
echo epub
